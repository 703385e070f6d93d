// The structural-schema translation the fake API server validates with: unknown fields, the
// x-kubernetes-* markers, defaults, list-map keys and the ObjectMeta rules.
import { describe, expect, it } from "vitest";
import { crdValidator, problemsOf, type CustomResourceDefinition } from "./crd-validator";

const crd: CustomResourceDefinition = {
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Widget", plural: "widgets" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: {
                type: "object",
                required: ["size"],
                properties: {
                  size: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
                  mode: { type: "string", enum: ["fast", "slow"], default: "slow" },
                  extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "string" } } },
                  note: { type: "string", nullable: true },
                  ports: {
                    type: "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["port"],
                    items: { type: "object", required: ["port"], properties: { port: { type: "integer" } } },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const v1 = crdValidator(crd).version("v1")!;
const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "w" }) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata,
  spec,
});

describe("CRD validation", () => {
  it("accepts int-or-string both ways, keeps preserved unknown fields, allows null where nullable, applies defaults", () => {
    for (const size of [3, "3Gi"]) {
      const result = v1.validate(widget({ size, extra: { known: "k", anything: { goes: true } }, note: null }));
      expect(problemsOf(result)).toEqual([]);
      expect(result.object.spec).toMatchObject({ mode: "slow", extra: { anything: { goes: true } } });
    }
  });

  it("reports unknown fields, wrong types, enums, required fields and duplicate list-map keys", () => {
    const result = v1.validate(widget({ colour: "red", size: true, mode: "turbo", ports: [{ port: 1 }, { port: 1 }] }));
    expect(problemsOf(result)).toEqual([
      'unknown field "spec.colour"',
      'spec.size: Invalid value: true: spec.size in body must be of type integer or string',
      'spec.mode: Unsupported value: "turbo": supported values: "fast", "slow"',
      'spec.ports[1]: Duplicate value: {"port":1}',
    ]);
    expect(problemsOf(v1.validate(widget({})))).toEqual(["spec.size: Required value"]);
  });

  it("checks ObjectMeta: name, string-valued labels and annotations, label syntax", () => {
    const result = v1.validate(widget({ size: 1 }, { name: "Bad_Name", labels: { ok: "yes", "bad key!": "x", long: "x".repeat(64) }, annotations: { flag: true } }));
    expect(result.decodeErrors).toEqual(["cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"]);
    expect(result.causes.map((c) => c.field)).toEqual(["metadata.name", "metadata.labels", "metadata.labels"]);
  });

  it("can drop unknown fields instead (the server's Warn mode)", () => {
    const result = v1.validate(widget({ size: 1, colour: "red" }), { pruneUnknown: true });
    expect(result.unknownFields).toEqual(["spec.colour"]);
    expect(result.object.spec).not.toHaveProperty("colour");
  });
});
