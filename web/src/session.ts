// The signed-in user and the server's config, shared by every screen. Listeners hear about every
// change of the user (coins after a spend, refund or grant; language; roles).
import * as api from "./api";
import type { AppConfig, User } from "./types";

type Listener = (user: User | null) => void;

let config: AppConfig | null = null;
let user: User | null = null;
const listeners = new Set<Listener>();

export const currentConfig = (): AppConfig => {
  if (!config) throw new Error("config not loaded");
  return config;
};
export const setConfig = (value: AppConfig): void => {
  config = value;
};

export const currentUser = (): User | null => user;
export const isAdmin = (): boolean => user?.roles.includes("ADMIN") ?? false;

export function setUser(value: User | null): void {
  user = value;
  for (const listener of listeners) listener(user);
}

export function onUserChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Re-reads /api/me (the balance can change from elsewhere: a refund, an admin's grant, another tab).
// Concurrent calls share one request.
let inFlight: Promise<void> | null = null;
export function refreshUser(): Promise<void> {
  if (!user) return Promise.resolve();
  inFlight ??= api
    .getMe()
    .then((fresh) => setUser(fresh))
    .catch(() => {})
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}
