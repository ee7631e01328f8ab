// Product constants shared by the config endpoint, validation and the generator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nb {

inline constexpr int64_t kDefaultGenerationCost = 10;
inline constexpr int64_t kDefaultMaxUploadBytes = 10 * 1024 * 1024;

// The aspect ratios Gemini 2.5 Flash Image accepts in generationConfig.imageConfig.aspectRatio.
inline const std::vector<std::string>& AspectRatios() {
  static const std::vector<std::string> ratios = {"1:1", "2:3", "3:2",  "3:4",  "4:3",
                                                  "4:5", "5:4", "9:16", "16:9", "21:9"};
  return ratios;
}

}  // namespace nb
