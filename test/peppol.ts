// The vendored PEPPOL BIS Billing 3.0 validator (vendor/peppol/validate.sh: UBL XSD, EN 16931 and PEPPOL
// rules) for tests. Without its tools the tests skip with a clear message, except in CI, where .ci/run
// installs them and a missing tool is a failure.
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const VALIDATE = fileURLToPath(new URL("../vendor/peppol/validate.sh", import.meta.url));
export const PEPPOL_INSTALL = "apt-get install -y default-jre-headless libsaxonhe-java libxml2-utils";

/** The validator's missing tools (empty when it can run); throws in CI when any is missing. */
export function peppolToolsMissing(): string[] {
  const onPath = (command: string) => spawnSync("sh", ["-c", 'command -v "$1"', "sh", command]).status === 0;
  const missing: string[] = [];
  if (!onPath(process.env.JAVA ?? "java")) missing.push("java (default-jre-headless)");
  if (!onPath("xmllint")) missing.push("xmllint (libxml2-utils)");
  if (!existsSync(process.env.SAXON_JAR ?? "/usr/share/java/Saxon-HE.jar")) missing.push("Saxon-HE jar (libsaxonhe-java)");
  if (missing.length > 0 && process.env.CI === "true") {
    throw new Error(`EHF validation tools missing in CI: ${missing.join(", ")}. Install with: ${PEPPOL_INSTALL}`);
  }
  if (missing.length > 0) console.warn(`EHF validation tests skipped: ${missing.join(", ")} not found. Install with: ${PEPPOL_INSTALL}`);
  return missing;
}

/** Runs the validator on a file: exit code and everything it printed. */
export function validateEhfFile(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("bash", [VALIDATE, file], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
