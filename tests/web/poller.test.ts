// The generation poller (web/src/poller.ts) against a scripted API and fake timers: it polls only what
// is unfinished, tells subscribers real changes only, stops on a terminal state (and re-reads the
// balance once), on 404/401, and after repeated failures; and it slows down for long jobs.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Image, ImageStatus } from "../../web/src/types";

const getImage = vi.fn<(id: string) => Promise<Image>>();
const refreshUser = vi.fn(() => Promise.resolve());
vi.mock("../../web/src/api", async (original) => ({ ...(await original<object>()), getImage: (id: string) => getImage(id) }));
vi.mock("../../web/src/session", () => ({ refreshUser: () => refreshUser() }));

const image = (id: string, status: ImageStatus, updatedAt = "2026-01-01T00:00:00Z"): Image =>
  ({ id, status, updatedAt, type: "GENERATED" }) as Image;

let poller: typeof import("../../web/src/poller");
let api: typeof import("../../web/src/api");
beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules();  // the poller keeps module state: a fresh one per test
  getImage.mockReset();
  refreshUser.mockClear();
  poller = await import("../../web/src/poller");
  api = await import("../../web/src/api");
});
afterEach(() => vi.useRealTimers());

// Answers for getImage, one per call, then the last one again.
function answers(...list: (Image | Error)[]) {
  let i = 0;
  getImage.mockImplementation(async () => {
    const next = list[Math.min(i++, list.length - 1)];
    if (next instanceof Error) throw next;
    return next;
  });
}

describe("poller", () => {
  test("polls a pending image every 1.5 s, tells each real change once, and stops when it is done", async () => {
    const changes: string[] = [];
    const finished: string[] = [];
    answers(image("a", "PENDING"), image("a", "PROCESSING"), image("a", "PROCESSING"), image("a", "COMPLETED", "2026-01-01T00:00:09Z"));
    poller.subscribe("a", (img) => changes.push(img.status));
    poller.onFinished((img) => finished.push(`${img.id}:${img.status}`));
    poller.track(image("a", "PENDING"));

    await vi.advanceTimersByTimeAsync(1499);
    expect(getImage).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(getImage).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1500 * 3);
    expect(getImage).toHaveBeenCalledTimes(4);
    expect(changes).toEqual(["PROCESSING", "COMPLETED"]);  // the unchanged answers told no one
    expect(finished).toEqual(["a:COMPLETED"]);
    expect(refreshUser).toHaveBeenCalledTimes(1);  // a failure refunds: the balance is read again
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getImage).toHaveBeenCalledTimes(4);
  });

  test("a finished image is never polled, and one image is tracked once", async () => {
    answers(image("b", "PENDING"));
    poller.track(image("done", "COMPLETED"));
    poller.track(image("failed", "FAILED"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(getImage).not.toHaveBeenCalled();
    poller.track(image("b", "PENDING"));
    poller.track(image("b", "PENDING"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(getImage).toHaveBeenCalledTimes(1);
  });

  test.each([404, 401])("an ApiError %i stops tracking at once", async (status) => {
    answers(new api.ApiError(status, "X", "x"));
    poller.track(image("c", "PENDING"));
    await vi.advanceTimersByTimeAsync(1500 * 5);
    expect(getImage).toHaveBeenCalledTimes(1);
  });

  test("other failures are retried, then given up after 10 in a row", async () => {
    answers(new api.ApiError(0, "NETWORK", "offline"));
    poller.track(image("d", "PENDING"));
    await vi.advanceTimersByTimeAsync(30_000);  // before the slow-down: 20 ticks' worth
    expect(getImage).toHaveBeenCalledTimes(11);
  });

  test("a failure streak is reset by a good answer", async () => {
    const err = new api.ApiError(503, "SERVICE_UNAVAILABLE", "busy");
    answers(...Array(8).fill(err), image("e", "PENDING"), ...Array(8).fill(err), image("e", "COMPLETED"));
    const finished: string[] = [];
    poller.onFinished((img) => finished.push(img.id));
    poller.track(image("e", "PENDING"));
    await vi.advanceTimersByTimeAsync(1500 * 18);
    expect(finished).toEqual(["e"]);
  });

  test("a job older than 30 s is polled every 4 s", async () => {
    answers(image("f", "PROCESSING"));
    poller.track(image("f", "PENDING"));
    // Every 1.5 s while the job is at most 30 s old: the 21st poll, at 31.5 s, is the first past it.
    await vi.advanceTimersByTimeAsync(31_500);
    expect(getImage).toHaveBeenCalledTimes(21);
    await vi.advanceTimersByTimeAsync(3999);
    expect(getImage).toHaveBeenCalledTimes(21);
    await vi.advanceTimersByTimeAsync(1);
    expect(getImage).toHaveBeenCalledTimes(22);
    await vi.advanceTimersByTimeAsync(4000);
    expect(getImage).toHaveBeenCalledTimes(23);
  });

  test("stopTracking and unsubscribing are respected", async () => {
    const seen: string[] = [];
    answers(image("g", "PROCESSING"));
    const off = poller.subscribe("g", (img) => seen.push(img.status));
    off();
    poller.track(image("g", "PENDING"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(seen).toEqual([]);
    poller.stopTracking("g");
    await vi.advanceTimersByTimeAsync(15_000);
    expect(getImage).toHaveBeenCalledTimes(1);
  });
});
