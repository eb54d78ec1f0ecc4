// The app's own trivial page, rendered by nothing but React Router.
export { default, meta } from "~/routes/privacidad";
