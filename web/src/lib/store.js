// The page's single state object and its render cycle. Every control calls
// `set` with a change; after the current task, each subscriber renders the
// new state (it gets the previous one to skip what did not change). Nothing
// else on the page keeps state of its own.

/**
 * A store around `initial`. `set(patch)` merges a patch (or the result of
 * `patch(state)`) into a new state object; renders are batched per task.
 */
export function createStore(initial, { schedule = queueMicrotask } = {}) {
  let state = Object.freeze({ ...initial });
  // The first render gets an empty previous state, so everything is drawn.
  let rendered = {};
  let pending = false;
  const subscribers = [];

  function flush() {
    pending = false;
    const prev = rendered;
    rendered = state;
    if (prev === state) return;
    for (const fn of subscribers) fn(state, prev);
  }

  return {
    /** The current state (frozen; change it with `set`). */
    get: () => state,
    /** Merges a change into the state and schedules a render. */
    set(patch) {
      const change = typeof patch === 'function' ? patch(state) : patch;
      if (!change) return;
      let same = true;
      for (const k of Object.keys(change)) if (state[k] !== change[k]) same = false;
      if (same) return;
      state = Object.freeze({ ...state, ...change });
      if (!pending) {
        pending = true;
        schedule(flush);
      }
    },
    /** Calls `fn(state, prev)` after every change; returns nothing. */
    subscribe(fn) {
      subscribers.push(fn);
    },
    /** Renders now (tests, and the first paint). */
    flush,
  };
}

/** Whether any of `keys` differs between two states. */
export function changed(state, prev, ...keys) {
  return keys.some((k) => state[k] !== prev[k]);
}
