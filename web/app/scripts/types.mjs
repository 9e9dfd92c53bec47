// The API types of the browser apps, generated from each service's OpenAPI document (written by the service's own
// build to <service>/target/openapi/openapi.json) into src/api/<service>.d.ts. The pages' scripts name them in JSDoc
// and `tsc` checks them (npm run check): a field a page reads that the API does not have fails the build.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const services = ["task-service", "review-service", "notification-service"];
const out = resolve(import.meta.dirname, "../src/api");
mkdirSync(out, { recursive: true });
for (const service of services) {
  const file = resolve(import.meta.dirname, `../../../${service}/target/openapi/openapi.json`);
  if (!existsSync(file)) {
    console.error(`${file} is missing: build ${service} first (./mvnw -B package -DskipTests builds everything in order)`);
    process.exit(1);
  }
  const ast = await openapiTS(JSON.parse(readFileSync(file, "utf8")));
  writeFileSync(resolve(out, `${service}.d.ts`), `// generated from ${service}'s OpenAPI document by scripts/types.mjs: do not edit\n` + astToString(ast));
  console.log(`API types of ${service} → src/api/${service}.d.ts`);
}
