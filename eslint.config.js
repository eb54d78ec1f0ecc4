import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The layers (docs/architecture.md): routes → web → features → platform → db, shared from
 * anywhere, server/ the composition root. An import against the arrow fails lint (and CI).
 */
const layer = (name, patterns) => ({
  files: [`app/${name}/**/*.{ts,tsx}`],
  ignores: ["**/*.test.{ts,tsx}"],
  rules: { "no-restricted-imports": ["error", { patterns }] },
});
const against = (layers, why) => ({ group: layers.flatMap((l) => [`~/${l}/**`, `**/${l}/**`]), message: why });
const boundaries = [
  layer("db", [against(["platform", "features", "web", "routes", "ui", "shared"], "db/ is the bottom layer: it imports nothing of the app.")]),
  layer("platform", [against(["features", "web", "routes", "ui"], "platform/ holds the ports: it never imports features, web, routes or ui.")]),
  layer("shared", [against(["db", "platform", "features", "web", "routes", "ui"], "shared/ is pure: it imports no other layer.")]),
  layer("features", [against(["web", "routes"], "features/ take plain values: the HTTP edge (web/) and routes call them, not the reverse.")]),
  layer("web", [against(["routes"], "web/ is called by routes, never the reverse.")]),
  layer("routes", [
    against(["db"], "Routes are tables of contents: a query is a use case in app/features/<domain>/."),
    { group: ["drizzle-orm", "drizzle-orm/**"], message: "Routes are tables of contents: a query is a use case in app/features/<domain>/." },
  ]),
  layer("ui", [against(["db", "platform", "web"], "ui/ components never reach the database, the ports or the HTTP edge.")]),
];

export default tseslint.config(
  { ignores: ["build/", "bench/bare-rr/build/", "bench/bare-rr/build-app-routes/", "bench/bare-rr/.react-router/", ".react-router/", "node_modules/", "data/", ".cache/", "test-results/", "playwright-report/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": "off",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='only']", message: "No .only in committed tests." },
        { selector: "CallExpression[callee.property.name='skip']", message: "No skipped tests." },
      ],
    },
  },
  ...boundaries,
);
