// The NMF fieldset both pages share: its behaviour ('cd' allows only the Frobenius loss, the l1
// ratio's readout) and reading it into NmfSettings. Values go to the library unchecked: its own
// errors (InvalidParameterError, naming the option) are what the page shows for bad input.

import type { BackendName, BetaLossName, Init, Solver } from '../../src/index.js';
import { $ } from './ui.js';

/** The NMF options a page can set (scikit-learn's names in camelCase). */
export interface NmfSettings {
  nComponents: number;
  solver: Solver;
  betaLoss: BetaLossName;
  /** null: scikit-learn's rule (nndsvda when k ≤ min(n, m), else random) */
  init: Init | null;
  alphaW: number;
  alphaH: number | 'same';
  l1Ratio: number;
  maxIter: number;
  tol: number;
  randomState: number;
  backend: BackendName;
}

export type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function fieldOf(form: HTMLFormElement) {
  return <T extends FieldElement = HTMLInputElement>(name: string): T => {
    const el = form.elements.namedItem(name);
    if (!el) throw new Error(`the form has no field '${name}'`);
    return el as T;
  };
}

export function bindNmfForm(form: HTMLFormElement): { settings(): NmfSettings } {
  const field = fieldOf(form);
  const solver = field<HTMLSelectElement>('solver');
  const beta = field<HTMLSelectElement>('betaLoss');
  const chartSub = document.querySelector('#chart-sub');
  const sync = () => {
    const cd = solver.value === 'cd';
    for (const o of Array.from(beta.options)) o.disabled = cd && o.value !== 'frobenius';
    if (cd) beta.value = 'frobenius';
    if (chartSub) {
      chartSub.textContent = cd
        ? "'cd' reports its projected-gradient violation, relative to iteration 1, at every check"
        : "'mu' reports the loss √(2·β-divergence) every 10 iterations";
    }
  };
  solver.addEventListener('change', sync);
  sync();

  const l1 = field('l1Ratio');
  const l1Out = $('#l1Ratio-out');
  const showL1 = () => (l1Out.textContent = Number(l1.value).toFixed(2));
  l1.addEventListener('input', showL1);
  showL1();

  const num = (name: string) => Number(field(name).value);
  return {
    settings: () => {
      const alphaH = field('alphaH').value.trim();
      return {
        nComponents: num('nComponents'),
        solver: solver.value as NmfSettings['solver'],
        betaLoss: beta.value as NmfSettings['betaLoss'],
        init: (field<HTMLSelectElement>('init').value || null) as NmfSettings['init'],
        alphaW: num('alphaW'),
        alphaH: alphaH === '' || alphaH === 'same' ? 'same' : Number(alphaH),
        l1Ratio: num('l1Ratio'),
        maxIter: num('maxIter'),
        tol: num('tol'),
        randomState: num('randomState'),
        backend: field<HTMLSelectElement>('backend').value as NmfSettings['backend'],
      };
    },
  };
}
