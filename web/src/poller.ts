// Follows generations until they finish: polls GET /api/images/:id for every tracked PENDING or
// PROCESSING image (1.5 s at first, slower for long jobs), tells subscribers each change, and
// re-reads the balance when one ends (a failure refunds the coins).
import * as api from "./api";
import { refreshUser } from "./session";
import { isTerminal, type Image } from "./types";

type Listener = (image: Image) => void;

interface Tracked {
  image: Image;
  since: number;
  failures: number;
}

const tracked = new Map<string, Tracked>();
const listeners = new Map<string, Set<Listener>>();
const finishedListeners = new Set<Listener>();
let timer: number | null = null;

export function track(image: Image): void {
  if (isTerminal(image.status) || tracked.has(image.id)) return;
  tracked.set(image.id, { image, since: Date.now(), failures: 0 });
  schedule();
}

export function subscribe(id: string, listener: Listener): () => void {
  let set = listeners.get(id);
  if (!set) listeners.set(id, (set = new Set()));
  set.add(listener);
  return () => {
    set!.delete(listener);
    if (set!.size === 0) listeners.delete(id);
  };
}

// Every finished generation, whichever screen is open (for the "ready" / "failed" notice).
export function onFinished(listener: Listener): void {
  finishedListeners.add(listener);
}

export function stopTracking(id: string): void {
  tracked.delete(id);
}

function schedule(): void {
  if (timer !== null || tracked.size === 0) return;
  const oldest = Math.min(...[...tracked.values()].map((t) => t.since));
  const delay = Date.now() - oldest > 30_000 ? 4000 : 1500;
  timer = window.setTimeout(tick, delay);
}

async function tick(): Promise<void> {
  await Promise.all([...tracked.values()].map(poll));
  timer = null;
  schedule();
}

async function poll(entry: Tracked): Promise<void> {
  let image: Image;
  try {
    image = await api.getImage(entry.image.id);
    entry.failures = 0;
  } catch (e) {
    // Deleted meanwhile, or signed out: stop. Network blips: try again, a few times.
    if (e instanceof api.ApiError && (e.status === 404 || e.status === 401 || ++entry.failures > 10)) tracked.delete(entry.image.id);
    return;
  }
  const changed = image.status !== entry.image.status || image.updatedAt !== entry.image.updatedAt;
  entry.image = image;
  if (changed) for (const listener of listeners.get(image.id) ?? []) listener(image);
  if (isTerminal(image.status)) {
    tracked.delete(image.id);
    for (const listener of finishedListeners) listener(image);
    void refreshUser();
  }
}
