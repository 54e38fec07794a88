// Types for bundle.mjs, for the TypeScript benchmarks that import it.
export interface Bundled {
  readonly chunks: Map<string, { readonly code: string; readonly isEntry: boolean; readonly imports: readonly string[] }>;
  readonly initial: Set<string>;
  readonly raw: number;
  /** min+gzip of what loads before the agent runs. */
  readonly gzip: number;
  readonly lazyGzip: number;
  readonly builtins: readonly string[];
}
export function bundle(input: string): Promise<Bundled>;
