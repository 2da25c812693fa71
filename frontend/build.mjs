// Copies the front-end libraries from node_modules into var/frontend/vendor/, which Django's
// staticfiles serves. Nothing third-party is committed (see docs/adr/0005-frontend-assets.md).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "..", "var", "frontend", "vendor");
mkdirSync(out, { recursive: true });
const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
];
for (const [from, to] of files) {
  copyFileSync(resolve(here, "node_modules", from), resolve(out, to));
  console.log(`frontend: ${from} -> var/frontend/vendor/${to}`);
}
