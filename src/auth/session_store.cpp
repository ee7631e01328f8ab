#include "auth/session_store.h"

#include <algorithm>

#include "util/base64.h"
#include "util/hex.h"
#include "util/json_text.h"

namespace nb {
namespace {
constexpr size_t kTokenBytes = 32;   // 256 bits
constexpr size_t kTokenLength = 43;  // unpadded base64url of 32 bytes

// A stored field of the expected type, else empty/0 (which reads as no session): value() on a
// record of another shape would abort, there being no exceptions.
std::string TextField(const nlohmann::json& record, const char* name) {
  auto it = record.find(name);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}
int64_t MsField(const nlohmann::json& record, const char* name) {
  auto it = record.find(name);
  return it != record.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}
}  // namespace

Result<std::string> SessionStore::KeyFor(const std::string& token) {
  NB_ASSIGN_OR_RETURN(std::string digest, ports_.crypto.Sha256(token));
  return "session:" + HexEncode(digest);
}

Status SessionStore::Store(const std::string& key, const Session& session) {
  nlohmann::json value = {{"userId", session.user_id},       {"createdMs", session.created_ms},
                          {"expiresMs", session.expires_ms}, {"renewedMs", session.renewed_ms},
                          {"endsMs", session.ends_ms},       {"epoch", session.epoch}};
  // KV enforces a 60 s minimum TTL; the expiry inside the value is what we actually check.
  return ports_.kv.Put(key, JsonText(value), std::max<int64_t>(ttl_seconds_, kMinKvTtlSeconds));
}

int64_t SessionStore::CookieMaxAge(const Session& session) const {
  const int64_t left_ms = session.ends_ms - ports_.clock.NowMs();
  return std::max<int64_t>(0, std::min(ttl_seconds_, left_ms / 1000));
}

Result<NewSession> SessionStore::Create(const std::string& user_id, int64_t epoch) {
  NewSession created;
  created.token = Base64UrlEncode(ports_.random.Bytes(kTokenBytes));
  const int64_t now = ports_.clock.NowMs();
  const int64_t ends = now + max_age_seconds_ * 1000;
  created.session = Session{user_id, now, std::min(now + ttl_seconds_ * 1000, ends), now, ends, epoch};
  NB_ASSIGN_OR_RETURN(std::string key, KeyFor(created.token));
  NB_RETURN_IF_ERROR(Store(key, created.session));
  return created;
}

Result<std::optional<Session>> SessionStore::Find(const std::string& token, bool* renewed) {
  if (renewed) *renewed = false;
  if (token.size() != kTokenLength || !Base64UrlDecode(token)) return std::optional<Session>();
  NB_ASSIGN_OR_RETURN(std::string key, KeyFor(token));
  NB_ASSIGN_OR_RETURN(std::optional<std::string> stored, ports_.kv.Get(key));
  if (!stored) return std::optional<Session>();
  auto value = nlohmann::json::parse(*stored, nullptr, false);
  if (!value.is_object()) return std::optional<Session>();
  Session session{TextField(value, "userId"),  MsField(value, "createdMs"), MsField(value, "expiresMs"),
                  MsField(value, "renewedMs"), MsField(value, "endsMs"),    MsField(value, "epoch")};
  // A session stored before the absolute lifetime existed ends max_age after it was made.
  const int64_t max_end = session.created_ms + max_age_seconds_ * 1000;
  if (session.ends_ms == 0 || session.ends_ms > max_end) session.ends_ms = max_end;
  const int64_t now = ports_.clock.NowMs();
  if (session.user_id.empty() || session.expires_ms <= now || session.ends_ms <= now) {
    return std::optional<Session>();
  }
  if (now - session.renewed_ms >= renew_after_seconds_ * 1000) {
    session.renewed_ms = now;
    session.expires_ms = std::min(now + ttl_seconds_ * 1000, session.ends_ms);
    if (Store(key, session).ok() && renewed) *renewed = true;
  }
  return std::optional<Session>(session);
}

Status SessionStore::Revoke(const std::string& token) {
  if (token.size() != kTokenLength) return Status::Ok();
  NB_ASSIGN_OR_RETURN(std::string key, KeyFor(token));
  return ports_.kv.Delete(key);
}

}  // namespace nb
