// Every other path of the app's route table (BARE_ROUTES=app): never rendered by the bench.
export default function Stub() {
  return null;
}
