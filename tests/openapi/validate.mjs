// node validate.mjs swagger.json → exit 0 when the document is valid OpenAPI, 1 with the errors otherwise.
import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";

const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(process.argv[2], "utf8")));
if (result.valid) {
  console.log(`valid OpenAPI ${validator.version}`);
} else {
  console.log(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
