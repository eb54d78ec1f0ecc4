import type { WatchedResult, WatchOptions } from "./child.server";
export declare const CHILD_ENV: Record<string, string>;
export declare function readRssBytes(pid: number): Promise<number | undefined>;
export declare function readCpuMs(pid: number): Promise<number | undefined>;
export declare const WALL_FACTOR: number;
export declare function wallTimeoutMs(options: WatchOptions): number;
export declare function watchChild(
  command: string,
  args: string[],
  options: WatchOptions,
  onSpawn?: (pid: number) => void,
): Promise<WatchedResult>;
