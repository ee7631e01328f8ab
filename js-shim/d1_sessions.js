// D1 read replication through the Sessions API (docs/scaling.md), on when D1_READ_REPLICATION is
// "true". Each request runs its statements in a D1 session: a GET may be answered by a nearby read
// replica ("first-unconstrained", or from the browser's bookmark), a write always starts at the primary
// ("first-primary", which is at least as new as any bookmark): what a write request reads to decide
// (the session's epoch, the caller's roles, an idempotency key's job) must not be a replica's lagging
// copy, or a demoted admin or a session ended everywhere could still write for the lag. The browser keeps
// the latest bookmark in a cookie for its session (no Max-Age), and every later request starts its
// D1 session from it, so a person always reads their own writes even when a replica serves the read.
// Queue jobs and cron ticks keep using env.DATABASE (the primary) as before.
// __Host-: Secure, Path=/, no Domain, so a sibling subdomain cannot plant one.
export const BOOKMARK_COOKIE = "__Host-nb_d1_bookmark";

// A bookmark is D1's opaque token; this only keeps cookie-safe text of a sane length.
const BOOKMARK_SHAPE = /^[A-Za-z0-9._:-]{1,256}$/;

export function bookmarkFrom(request) {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== BOOKMARK_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return BOOKMARK_SHAPE.test(value) ? value : null;
  }
  return null;
}

// {database, finish(headers)}: `database` replaces env.DATABASE for the request; finish() appends the
// Set-Cookie for a newer bookmark to the reply's header pairs. null when replication is off or the
// binding has no sessions.
export function d1SessionFor(request, env) {
  if (env.D1_READ_REPLICATION !== "true" || typeof env.DATABASE?.withSession !== "function") return null;
  const previous = bookmarkFrom(request);
  const read = request.method === "GET" || request.method === "HEAD";
  const session = env.DATABASE.withSession(read ? (previous ?? "first-unconstrained") : "first-primary");
  return {
    database: session,
    finish(headers) {
      const next = session.getBookmark?.() ?? null;
      if (!next || next === previous || !BOOKMARK_SHAPE.test(next)) return headers;
      return [...headers, ["set-cookie", `${BOOKMARK_COOKIE}=${next}; Path=/; HttpOnly; Secure; SameSite=Lax`]];
    },
  };
}
