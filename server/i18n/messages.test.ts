import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import nb from "@/messages/nb.json";
import { negotiateLocale, translator } from "./locales";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("UI text catalogues", () => {
  const enKeys = keys(en).sort();
  const nbKeys = keys(nb).sort();

  it("have the same keys in English and bokmål, none empty", () => {
    expect(nbKeys).toEqual(enKeys);
    for (const key of enKeys) {
      expect(translator("en")(key as never).trim(), key).not.toBe("");
      expect(translator("nb")(key as never).trim(), key).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of enKeys) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(translator("nb")(key as never)), key).toEqual(placeholders(translator("en")(key as never)));
    }
  });

  it("contain every literal key the code asks for", () => {
    const used = new Set<string>();
    for (const file of ["app", "components", "server"].flatMap((d) => sourceFiles(d))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z]+(?:\.[a-zA-Z_]+)+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/"((?:errors|nav|comingSoon)\.[a-zA-Z]+)"/g)) used.add(m[1]!);
    }
    const missing = [...used].filter((k) => !enKeys.includes(k));
    expect(missing).toEqual([]);
  });

  it("interpolate parameters and negotiate the language", () => {
    expect(translator("en")("team.invited", { email: "a@b.no" })).toBe("Invitation sent to a@b.no.");
    expect(negotiateLocale("nb-NO,nb;q=0.9,en;q=0.8")).toBe("nb");
    expect(negotiateLocale("no")).toBe("nb");
    expect(negotiateLocale("en-GB,en;q=0.9")).toBe("en");
    expect(negotiateLocale("de-DE, en;q=0.5")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
  });
});
