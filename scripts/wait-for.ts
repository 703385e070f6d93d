// Polling helpers for scripts: wait until a URL answers HTTP or a TCP port accepts connections.
import * as net from "node:net";

export interface WaitOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 250 ms). */
  intervalMs?: number;
  /** Checked before each attempt; returning false stops waiting early (e.g. during shutdown). */
  stillWaiting?: () => boolean;
}

/** Resolves true once `url` answers with any HTTP status, false on timeout or when told to stop. */
export async function waitForHttp(url: string, options: WaitOptions = {}): Promise<boolean> {
  return poll(async () => {
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
      await response.body?.cancel();
      return true;
    } catch {
      return false;
    }
  }, options);
}

/** Resolves true once `host:port` accepts a TCP connection, false on timeout or when told to stop. */
export async function waitForPort(port: number, host = "127.0.0.1", options: WaitOptions = {}): Promise<boolean> {
  return poll(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ port, host });
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    options,
  );
}

async function poll(attempt: () => Promise<boolean>, options: WaitOptions): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 250;
  while (Date.now() < deadline) {
    if (options.stillWaiting && !options.stillWaiting()) return false;
    if (await attempt()) return true;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return false;
}
