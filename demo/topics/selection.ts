// The linked views' shared state: the topic and the year the user picked (null: none). A view that
// changes it tells the others, which redraw; the page keeps nothing else in common.

export interface Selection {
  topic: number | null;
  year: number | null;
}

export class SelectionStore {
  private state: Selection = { topic: null, year: null };
  private readonly listeners: ((s: Selection) => void)[] = [];

  get(): Selection {
    return this.state;
  }

  /** Change part of the selection; listeners hear of it when something changed. */
  set(change: Partial<Selection>): void {
    const next = { ...this.state, ...change };
    if (next.topic === this.state.topic && next.year === this.state.year) return;
    this.state = next;
    for (const l of this.listeners) l(next);
  }

  /** Select the topic, or clear it when it is already selected. */
  toggleTopic(t: number): void {
    this.set({ topic: this.state.topic === t ? null : t });
  }

  subscribe(listener: (s: Selection) => void): void {
    this.listeners.push(listener);
  }
}
