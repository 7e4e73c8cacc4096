import { createRequire } from 'node:module';

type Terms = Array<{ name: string; coef: number }>;
type Bound = { type: number; lb: number; ub: number };

/** A linear or integer program in glpk.js's JSON form (its own types do not resolve under CommonJS). */
export interface LP {
  name: string;
  objective: { direction: number; name: string; vars: Terms };
  subjectTo: Array<{ name: string; vars: Terms; bnds: Bound }>;
  bounds?: Array<{ name: string } & Bound>;
  generals?: string[];
}

interface Result {
  result: { status: number; z: number; vars: Record<string, number> };
}

/** The parts of glpk.js (synchronous Node build) the disclosure auditor uses. */
export interface Glpk {
  GLP_MIN: number;
  GLP_MAX: number;
  GLP_FX: number;
  GLP_DB: number;
  GLP_UP: number;
  GLP_LO: number;
  GLP_MSG_OFF: number;
  GLP_OPT: number;
  GLP_FEAS: number;
  solve(lp: LP, options?: { msglev?: number; tmlim?: number; presol?: boolean }): Result;
}

let loading: Promise<Glpk> | null = null;

/**
 * glpk.js ships as an ES module only. Node (≥ 20.19) can `require` it natively, so it is loaded
 * through a native require rather than the CommonJS loader of the build or of the test runner,
 * which would try to transpile it. One instance per process: the WebAssembly module is ~1 MB and
 * takes ~100 ms to start.
 */
export function loadGlpk(): Promise<Glpk> {
  loading ??= (async () => {
    // `process.getBuiltinModule` reaches Node's own loader even inside the test runner's sandbox.
    const builtin = (process as { getBuiltinModule?: (id: string) => typeof import('node:module') }).getBuiltinModule;
    const nativeRequire = (builtin?.('node:module').createRequire ?? createRequire)(__filename);
    const module = nativeRequire('glpk.js/node') as { default: () => Promise<Glpk> };
    return module.default();
  })();
  loading.catch(() => (loading = null));
  return loading;
}
