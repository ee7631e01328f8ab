// Ending a generation as FAILED: the reason in the owner's language, the refund, one batch. Shared by
// the queue consumer, the sweeper and the request handler (a failed enqueue).
#pragma once

#include <optional>

#include "generation/image_provider.h"
#include "models/image.h"
#include "ports/ports.h"
#include "repositories/generation_job_repository.h"

namespace nb {

// The image (when it still exists; pass what was last read of it, for its metadata) becomes FAILED
// with failure.reason_key's message in the owner's language and metadata errorKey/errorDetail, and
// the job's cost is refunded — if `guard` still holds and the job is open. True when this call
// refunded; false when someone else already finished the job (then nothing was written).
Result<bool> RecordJobFailure(Ports& ports, const GenerationJob& job, const JobGuard& guard,
                              const std::optional<Image>& image, const GenerationFailure& failure);

}  // namespace nb
