// Boot: read the server's config and who is signed in, then route. Also wires the cross-cutting
// behaviour: a 401 anywhere -> sign-in and back (?redirect=), the language saved to the profile,
// and the balance re-read when the person comes back to the tab or every half minute.
import "./styles.css";
import * as api from "./api";
import { setLanguage, t } from "./i18n";
import { adminPage } from "./pages/admin";
import { billingCancelPage, billingSuccessPage } from "./pages/billing_result";
import { buyPage } from "./pages/buy";
import { coinsPage } from "./pages/coins";
import { galleryPage, warmGallery } from "./pages/gallery";
import { generatePage } from "./pages/generate";
import { notFoundPage } from "./pages/not_found";
import { safeRedirect, signInPage } from "./pages/sign_in";
import { uploadPage } from "./pages/upload";
import * as poller from "./poller";
import * as router from "./router";
import { currentUser, onUserChange, refreshUser, setConfig, setUser } from "./session";
import type { Language, User } from "./types";
import { renderHeader } from "./ui/header";
import { failureText, refundText } from "./ui/image_card";
import { errorState } from "./ui/states";
import { toast } from "./ui/toast";

const headerEl = document.getElementById("app-header")!;
const mainEl = document.getElementById("main")!;
let header = renderHeader(headerEl, { switchLanguage, signOut });

async function boot(): Promise<void> {
  // The gallery is the usual first screen: ask for its data now rather than after /api/me answers.
  if (location.pathname === "/" || location.pathname.startsWith("/gallery")) warmGallery(new URLSearchParams(location.search));
  try {
    const [config, user] = await Promise.all([
      api.getConfig(),
      api.getMe(true).catch((e) => {
        if (e instanceof api.ApiError && e.status === 401) return null;
        throw e;
      }),
    ]);
    setConfig(config);
    if (user) setLanguage(user.language);
    else setLanguage(localLanguage());
    setUser(user);
  } catch (e) {
    setLanguage(localLanguage());
    mainEl.replaceChildren(errorState(e, () => location.reload()));
    return;
  }
  rebuildHeader();
  onUserChange((user) => header.setUser(user));

  router.addRoute("sign-in", "/sign-in", (route) => signInPage(route, { signedIn, switchLanguage }), true);
  router.addRoute("gallery", "/gallery/:id?", galleryPage);
  router.addRoute("generate", "/generate", generatePage);
  router.addRoute("upload", "/upload", uploadPage);
  router.addRoute("coins", "/coins", coinsPage);
  router.addRoute("admin", "/admin", adminPage);
  router.addRoute("buy", "/buy", buyPage);
  router.addRoute("billing-success", "/billing/success", billingSuccessPage);
  router.addRoute("billing-cancel", "/billing/cancel", billingCancelPage);
  router.setFallback(notFoundPage);
  router.setGuard((route, isPublic) => {
    if (route.path === "/") return "/gallery";
    if (!currentUser() && !isPublic) {
      const qs = route.query.toString();
      return `/sign-in?redirect=${encodeURIComponent(route.path + (qs ? `?${qs}` : ""))}`;
    }
    if (currentUser() && route.name === "sign-in") return safeRedirect(route.query.get("redirect"));
    return null;
  });
  let lastPath = "";
  router.onRouteChange((route) => {
    header.setPath(route.path);
    headerEl.hidden = !currentUser();
    // Each move to another screen re-reads the balance (it can change from elsewhere).
    if (route.path !== lastPath) void refreshUser();
    lastPath = route.path;
  });
  router.start(mainEl);
}

function localLanguage(): Language {
  return document.documentElement.lang === "es" ? "es" : (navigator.language?.toLowerCase().startsWith("es") ? "es" : "en");
}

function rebuildHeader(): void {
  header = renderHeader(headerEl, { switchLanguage, signOut });
  header.setPath(location.pathname);
  document.querySelector(".skip-link")!.textContent = t("app.skip");
}

function signedIn(user: User, redirect: string): void {
  setUser(user);
  setLanguage(user.language);
  rebuildHeader();
  router.navigate(redirect, { replace: true });
}

async function switchLanguage(lang: Language): Promise<void> {
  setLanguage(lang);
  rebuildHeader();
  router.reload();
  if (!currentUser()) return;
  try {
    setUser(await api.patchMe({ language: lang }));
  } catch (e) {
    toast(e instanceof api.ApiError ? e.message : t("app.unexpected"), "error");
  }
}

async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // Signed out locally either way; the server forgets the session when it expires.
  }
  setUser(null);
  rebuildHeader();
  router.navigate("/sign-in", { replace: true });
}

// Any 401 after boot: the session ended. Go to sign-in, then come back here.
let expiring = false;
api.onSessionExpired(() => {
  if (expiring || !currentUser()) return;
  expiring = true;
  const back = router.currentPath();
  setUser(null);
  rebuildHeader();
  for (const dialog of document.querySelectorAll("dialog")) dialog.remove();
  router.navigate(`/sign-in?redirect=${encodeURIComponent(back)}&expired=1`, { replace: true });
  expiring = false;
});

poller.onFinished((image) => {
  if (image.status === "COMPLETED") toast(t("status.done"), "success");
  else toast([failureText(image), refundText(image)].filter(Boolean).join(" "), "error");
});

// A grant or refund that happened elsewhere shows up when the person returns, or within 30 s.
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && void refreshUser());
window.addEventListener("focus", () => void refreshUser());
setInterval(() => document.visibilityState === "visible" && void refreshUser(), 30_000);

void boot();
