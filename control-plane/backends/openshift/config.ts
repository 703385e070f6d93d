// Reads the OpenShift backend's environment once and fails with a message that names the variable.
import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { DNS_LABEL_RE } from "./naming";

export interface OpenShiftSettings {
  kubeConfig: KubeConfig;
  /** Where the cluster's routes live: a workbench is served at https://<name>-<project>.<appsDomain>/. */
  appsDomain: string;
  /** Prefix of each organisation's project (namespace). */
  projectPrefix: string;
  /** Namespace of the HardwareProfiles named on each Notebook (OpenShift AI's applications namespace). */
  hardwareProfileNamespace: string;
  /** StorageClass of the workbench PVCs; null = the cluster default. */
  storageClassName: string | null;
  /** Node label whose value names a node's pool in the capacity report (default nvidia.com/gpu.product). */
  capacityPoolLabel: string;
  /** Each API request is aborted after this many milliseconds. */
  requestTimeoutMs: number;
  /** Human-readable description of where the backend connects, without secrets. */
  describe: string;
}

export class OpenShiftConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpenShiftConfigError";
  }
}

/** A label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
const LABEL_KEY = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

function truthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true", "yes"].includes(value.trim().toLowerCase());
}

function readable(path: string, variable: string): string {
  if (!existsSync(path)) throw new OpenShiftConfigError(`${variable}: file ${path} does not exist`);
  return path;
}

/** Builds the KubeConfig from OPENSHIFT_KUBECONFIG, or OPENSHIFT_API_URL + OPENSHIFT_TOKEN, or the pod's service account. */
function kubeConfigFrom(env: Record<string, string | undefined>): { kubeConfig: KubeConfig; describe: string } {
  const kubeconfigPath = env.OPENSHIFT_KUBECONFIG?.trim();
  const apiUrl = env.OPENSHIFT_API_URL?.trim();
  const kc = new KubeConfig();

  if (kubeconfigPath && apiUrl) {
    throw new OpenShiftConfigError("Set either OPENSHIFT_KUBECONFIG or OPENSHIFT_API_URL (+ OPENSHIFT_TOKEN), not both");
  }

  if (kubeconfigPath) {
    kc.loadFromFile(readable(kubeconfigPath, "OPENSHIFT_KUBECONFIG"));
    const context = env.OPENSHIFT_CONTEXT?.trim();
    if (context) {
      if (!kc.getContexts().some((c) => c.name === context)) {
        throw new OpenShiftConfigError(`OPENSHIFT_CONTEXT: context ${context} is not in ${kubeconfigPath}`);
      }
      kc.setCurrentContext(context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new OpenShiftConfigError(`OPENSHIFT_KUBECONFIG: ${kubeconfigPath} has no current context with a cluster`);
    return { kubeConfig: kc, describe: `${cluster.server} (kubeconfig ${kubeconfigPath}, context ${kc.getCurrentContext()})` };
  }

  if (apiUrl) {
    let url: URL;
    try {
      url = new URL(apiUrl);
    } catch {
      throw new OpenShiftConfigError(`OPENSHIFT_API_URL: ${apiUrl} is not a URL`);
    }
    const token = env.OPENSHIFT_TOKEN?.trim();
    if (!token) throw new OpenShiftConfigError("OPENSHIFT_TOKEN is required with OPENSHIFT_API_URL");
    const plainHttp = url.protocol === "http:";
    if (plainHttp && !LOOPBACK.has(url.hostname)) {
      throw new OpenShiftConfigError("OPENSHIFT_API_URL: plain http is only allowed to a loopback address; use https");
    }
    if (!plainHttp && url.protocol !== "https:") throw new OpenShiftConfigError("OPENSHIFT_API_URL must be an https URL");
    const caFile = env.OPENSHIFT_CA_FILE?.trim();
    const insecure = truthy(env.OPENSHIFT_INSECURE_SKIP_TLS_VERIFY);
    kc.loadFromOptions({
      clusters: [
        {
          name: "openshift",
          server: url.toString().replace(/\/$/, ""),
          ...(caFile ? { caFile: readable(caFile, "OPENSHIFT_CA_FILE") } : {}),
          // The client refuses plain http unless TLS verification is off; there is no TLS to verify on loopback http.
          skipTLSVerify: insecure || plainHttp,
        },
      ],
      users: [{ name: "control-plane", token }],
      contexts: [{ name: "control-plane", cluster: "openshift", user: "control-plane" }],
      currentContext: "control-plane",
    });
    return {
      kubeConfig: kc,
      describe: `${url.origin} (token${caFile ? `, CA ${caFile}` : ""}${insecure ? ", TLS verification OFF" : ""})`,
    };
  }

  if (env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    return { kubeConfig: kc, describe: `${kc.getCurrentCluster()?.server ?? "in-cluster"} (service account)` };
  }

  throw new OpenShiftConfigError(
    "The OpenShift backend needs OPENSHIFT_KUBECONFIG, or OPENSHIFT_API_URL and OPENSHIFT_TOKEN, or to run inside the cluster",
  );
}

export function loadOpenShiftSettings(env: Record<string, string | undefined>): OpenShiftSettings {
  const { kubeConfig, describe } = kubeConfigFrom(env);

  const appsDomain = env.OPENSHIFT_APPS_DOMAIN?.trim() || "apps.cluster.local";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(appsDomain)) {
    throw new OpenShiftConfigError(`OPENSHIFT_APPS_DOMAIN: ${appsDomain} is not a DNS name`);
  }

  const projectPrefix = env.OPENSHIFT_PROJECT_PREFIX?.trim() || "nordlys-";
  if (!/^[a-z]([-a-z0-9]*)$/.test(projectPrefix) || projectPrefix.length > 30) {
    throw new OpenShiftConfigError("OPENSHIFT_PROJECT_PREFIX: lower-case letters, digits and '-', starting with a letter, at most 30");
  }

  const hardwareProfileNamespace = env.OPENSHIFT_HARDWARE_PROFILE_NAMESPACE?.trim() || "redhat-ods-applications";
  if (!DNS_LABEL_RE.test(hardwareProfileNamespace)) {
    throw new OpenShiftConfigError(`OPENSHIFT_HARDWARE_PROFILE_NAMESPACE: ${hardwareProfileNamespace} is not a namespace name`);
  }

  const capacityPoolLabel = env.OPENSHIFT_CAPACITY_POOL_LABEL?.trim() || "nvidia.com/gpu.product";
  if (!LABEL_KEY.test(capacityPoolLabel)) {
    throw new OpenShiftConfigError(`OPENSHIFT_CAPACITY_POOL_LABEL: ${capacityPoolLabel} is not a label key (e.g. nvidia.com/gpu.product)`);
  }

  const timeoutRaw = env.OPENSHIFT_REQUEST_TIMEOUT_MS?.trim();
  const requestTimeoutMs = timeoutRaw ? Number(timeoutRaw) : 15_000;
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 100) {
    throw new OpenShiftConfigError("OPENSHIFT_REQUEST_TIMEOUT_MS must be a whole number of milliseconds, at least 100");
  }

  return {
    kubeConfig,
    appsDomain,
    projectPrefix,
    hardwareProfileNamespace,
    storageClassName: env.OPENSHIFT_STORAGE_CLASS?.trim() || null,
    capacityPoolLabel,
    requestTimeoutMs,
    describe,
  };
}
