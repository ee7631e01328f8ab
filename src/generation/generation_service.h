// Starting a generation (POST /api/images/generate after validation): one D1 batch holds the coins,
// inserts the PENDING image and its job, then the job is enqueued. Nothing is charged unless the
// job is on the queue: a failed enqueue is refunded on the spot.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "generation/generation_settings.h"
#include "models/image.h"
#include "models/user.h"
#include "ports/ports.h"

namespace nb {

inline constexpr char kGenerateJobType[] = "generate";
// The queue message for a job: {"type":"generate","imageId","userId"}.
nlohmann::json GenerateJobMessage(const std::string& image_id, const std::string& user_id);

struct GenerationRequest {
  std::string prompt;  // trimmed
  std::optional<std::string> aspect_ratio;
  std::vector<std::string> reference_ids;  // the caller's COMPLETED images, checked by the caller
  std::optional<std::string> title;
  std::string model;                    // an offered id; empty in the body -> the default model
  std::string image_size;               // "0.5K" | "1K" | "2K" | "4K"; empty -> "1K"
  bool grounding = false;               // the google_search tool
  std::optional<std::string> thinking;  // "minimal" | "high"

  // The normalised request as JSON text: what an Idempotency-Key replay must repeat exactly.
  std::string CanonicalText() const;
};

struct StartOutcome {
  enum class Kind {
    kStarted,            // charged, PENDING, on the queue
    kReplayed,           // the Idempotency-Key's earlier image, nothing charged now
    kInsufficientCoins,  // nothing written
    kTooManyRunning,     // the user already has max_running_per_user open jobs; nothing written
    kKeyReused,          // the Idempotency-Key belongs to a different request; nothing written
    kEnqueueFailed,      // the queue refused: the image is FAILED and the hold refunded
    kReplayedDeleted,    // the Idempotency-Key's earlier image was deleted since; nothing charged now
  };
  Kind kind = Kind::kStarted;
  std::optional<Image> image;  // kStarted, kReplayed, kEnqueueFailed
  Status cause;                // kEnqueueFailed: the queue's refusal, for the request's error log
};

class GenerationService {
 public:
  GenerationService(Ports& ports, GenerationSettings settings)
      : ports_(ports), settings_(std::move(settings)) {}

  // idempotency_key: the client's Idempotency-Key header (at most 128 characters), if any.
  Result<StartOutcome> Start(const User& user, const GenerationRequest& request,
                             const std::optional<std::string>& idempotency_key);

  // What an Idempotency-Key already stands for (kReplayed, kReplayedDeleted or kKeyReused), nullopt
  // when it is unused. The route asks this before checking references: a replay answers the original
  // outcome even when a reference has been deleted since.
  Result<std::optional<StartOutcome>> FindReplay(const User& user, const GenerationRequest& request,
                                                 const std::string& idempotency_key);

 private:
  Result<StartOutcome> Replay(const std::string& user_id, const std::string& stored_key,
                              const std::string& hash);
  GenerationRequest WithDefaults(const GenerationRequest& asked) const;
  Result<std::string> RequestHash(const GenerationRequest& request);
  Result<StartOutcome> ExplainRefusal(const Status& failure, const std::string& user_id, int64_t cost);

  Ports& ports_;
  GenerationSettings settings_;
};

}  // namespace nb
