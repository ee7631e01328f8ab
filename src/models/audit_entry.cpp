#include "models/audit_entry.h"

#include "util/time_format.h"

namespace nb {
namespace {

nlohmann::json ObjectFrom(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_object() ? parsed : nlohmann::json::object();
}

}  // namespace

Result<AuditEntry> AuditEntry::FromRow(const SqlRow& row) {
  AuditEntry e;
  NB_ASSIGN_OR_RETURN(e.id, row.GetText("id"));
  NB_ASSIGN_OR_RETURN(e.actor_id, row.GetText("actor_id"));
  NB_ASSIGN_OR_RETURN(e.target_user_id, row.GetText("target_user_id"));
  NB_ASSIGN_OR_RETURN(e.action, row.GetText("action"));
  NB_ASSIGN_OR_RETURN(const std::string before, row.GetText("before"));
  NB_ASSIGN_OR_RETURN(const std::string after, row.GetText("after"));
  e.before = ObjectFrom(before);
  e.after = ObjectFrom(after);
  NB_ASSIGN_OR_RETURN(e.created_at_ms, row.GetInt64("created_at"));
  return e;
}

nlohmann::json AuditEntry::ToJson() const {
  return {{"id", id},
          {"actorId", actor_id},
          {"targetUserId", target_user_id},
          {"action", action},
          {"before", before},
          {"after", after},
          {"createdAt", FormatIsoUtc(created_at_ms)}};
}

}  // namespace nb
