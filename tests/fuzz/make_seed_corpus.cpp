// Writes the fuzzer's seed corpus into the directory given: small valid files of every format the
// probe knows (PNG in several colour types, baseline JPEG at two subsamplings, GIF with and without
// transparency, the three WebP headers), so mutation starts from deep inside each parser.
#include <cstdio>
#include <string>
#include <vector>

#include "imaging_samples.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  namespace s = nb::samples;
  const s::GifColour palette[4] = {{0, 0, 0}, {255, 255, 255}, {200, 30, 30}, {30, 30, 200}};
  std::vector<uint8_t> indices(12 * 7);
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<uint8_t>(i * 7 % 4);
  const std::pair<const char*, std::string> seeds[] = {
      {"rgb.png", s::Png(9, 7, 3)},
      {"rgba.png", s::Png(6, 11, 4)},
      {"grey.png", s::Png(13, 5, 1)},
      {"grey-alpha.png", s::Png(4, 4, 2)},
      {"q60.jpg", s::Jpeg(24, 17, 60)},
      {"q95-444.jpg", s::Jpeg(9, 16, 95)},
      {"plain.gif", s::Gif(12, 7, indices, palette)},
      {"transparent.gif", s::Gif(12, 7, indices, palette, 1)},
      {"lossy.webp", s::WebpLossy(30, 20)},
      {"lossless.webp", s::WebpLossless(30, 20)},
      {"extended.webp", s::WebpExtended(30, 20)},
      {"bomb.png", s::PngFromParts(8, 8, 8, 2, s::ZeroBombZlib(40000))},
  };
  for (const auto& [name, bytes] : seeds) {
    const std::string path = std::string(argv[1]) + "/" + name;
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size() ||
        std::fclose(file) != 0) {
      std::perror(path.c_str());
      return 1;
    }
  }
  return 0;
}
