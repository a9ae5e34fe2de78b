// The settings in the page's address: every field that differs from its default is a query
// parameter (?nComponents=12&solver=mu), kept up to date as the form changes, and read back when the
// page opens, so a link reproduces the settings. Text fields holding the user's own documents stay out.

type Field = HTMLInputElement | HTMLSelectElement;

function fields(form: HTMLFormElement, skip: ReadonlySet<string>): Field[] {
  return Array.from(form.elements).filter((el): el is Field => (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name !== '' && !skip.has(el.name) && el.type !== 'file');
}

function defaultOf(el: Field): string {
  if (el instanceof HTMLSelectElement) return (Array.from(el.options).find((o) => o.defaultSelected) ?? el.options[0])?.value ?? '';
  if (el.type === 'checkbox') return el.defaultChecked ? '1' : '0';
  return el.defaultValue;
}

function valueOf(el: Field): string {
  return el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value;
}

/** The query string of the form's non-default settings ('' when all are defaults). */
export function settingsQuery(form: HTMLFormElement, skip: ReadonlySet<string>): string {
  const params = new URLSearchParams();
  for (const el of fields(form, skip)) if (valueOf(el) !== defaultOf(el)) params.set(el.name, valueOf(el));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/**
 * Fill the form from the address, then keep the address in step with the form. Returns the names
 * the address gave that the form does not have (a stale link), for the page to mention.
 */
export function bindUrlState(form: HTMLFormElement, skip: readonly string[] = []): string[] {
  const skipped = new Set(skip);
  const byName = new Map(fields(form, skipped).map((el) => [el.name, el]));
  const unknown: string[] = [];
  for (const [name, value] of new URLSearchParams(location.search)) {
    const el = byName.get(name);
    if (!el || (el instanceof HTMLSelectElement && !Array.from(el.options).some((o) => o.value === value))) {
      unknown.push(el ? `${name}=${value}` : name);
      continue;
    }
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = value === '1';
    else el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
  const update = () => history.replaceState(history.state, '', `${location.pathname}${settingsQuery(form, skipped)}${location.hash}`);
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  return unknown;
}
