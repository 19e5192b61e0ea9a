// Validates every object of rendered manifests (multi-document YAML files given as arguments)
// against its API schema: Kubernetes and Prometheus Operator kinds with the validators that
// kubernetes-models ships, KEDA with @kubernetes-models/keda, Strimzi's KafkaTopic with the small
// schema beside this file. An object of a kind without a schema is an error, and so is an input
// without objects: a check that saw nothing must not pass.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const here = new URL(".", import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const customSchemas = {
  "kafka.strimzi.io/v1beta2/KafkaTopic": ajv.compile(
    JSON.parse(readFileSync(new URL("kafkatopic.schema.json", here), "utf8")),
  ),
};

// API group -> the package whose validators cover it.
function modulePath(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  if (group === "keda.sh") return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  if (group === "monitoring.coreos.com")
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  if (group === "" || group.endsWith(".k8s.io") || !group.includes("."))
    return `kubernetes-models/${apiVersion}/${kind}`;
  return null;
}

async function validate(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return ["no apiVersion or kind"];
  }
  const custom = customSchemas[`${apiVersion}/${kind}`];
  if (custom) {
    return custom(object)
      ? []
      : custom.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
  }
  const path = modulePath(apiVersion, kind);
  if (!path) return [`no schema for ${apiVersion} ${kind}`];
  let model;
  try {
    model = (await import(path))[kind];
  } catch (e) {
    return [`no schema for ${apiVersion} ${kind} (${e.code ?? e.message})`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

let objects = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      problems.push(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    objects++;
    const name = `${object.kind}/${object.metadata?.name}`;
    for (const problem of await validate(object)) problems.push(`${file}: ${name}: ${problem}`);
  }
}
if (objects === 0) problems.push("no objects to validate");
for (const problem of problems) console.log(problem);
console.log(`${objects} objects, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
