// The app's own trivial page, rendered by nothing but React Router (its loader's figures as constants:
// the app's reads them from its configuration). The component is wrapped here, where React Router
// hands a route module's default export its loaderData (a re-exported default is not).
import type { ComponentProps } from "react";
import Privacidad from "~/routes/privacidad";

export { meta } from "~/routes/privacidad";

export function loader() {
  return { retencionDias: 730, avisoDias: 30 };
}

export default function Page({ loaderData }: { loaderData: ReturnType<typeof loader> }) {
  return <Privacidad {...({ loaderData } as ComponentProps<typeof Privacidad>)} />;
}
