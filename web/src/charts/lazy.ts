// The charts module (ECharts, its own chunk of a few hundred kB) is loaded only once a page has
// drawn its figures: the KPIs come first, and the main thread is free while they render.
import { useEffect, useState } from 'preact/hooks';

export type ChartsModule = typeof import('./bundle');
let loading: Promise<ChartsModule> | null = null;

/** The charts module once `ready` has been true; null until it arrives. */
export function useChartsModule(ready: boolean): ChartsModule | null {
  const [mod, setMod] = useState<ChartsModule | null>(null);
  useEffect(() => {
    if (!ready || mod) return;
    let live = true;
    void (loading ??= import('./bundle')).then((m) => live && setMod(m));
    return () => {
      live = false;
    };
  }, [ready]);
  return mod;
}
