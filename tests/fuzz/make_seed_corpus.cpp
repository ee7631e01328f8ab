// Writes the fuzzer's seed corpus into the directory given: small valid files for every decoder path
// (baseline and progressive JPEG, CMYK, EXIF-rotated; PNG plain, interlaced, 16-bit, palette + tRNS;
// WebP lossy, lossless and with alpha; GIF with and without transparency; header-only WebPs and a
// PNG bomb), so mutation starts from deep inside each parser.
#include <cstdio>
#include <string>
#include <vector>

#include "imaging_codec_samples.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  namespace s = nb::samples;
  const s::GifColour palette[4] = {{0, 0, 0}, {255, 255, 255}, {200, 30, 30}, {30, 30, 200}};
  std::vector<uint8_t> indices(12 * 7);
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<uint8_t>(i * 7 % 4);
  const std::vector<uint8_t> rgb = s::Pattern(23, 17, 3);
  const std::vector<uint16_t> rgb8(rgb.begin(), rgb.end());
  std::vector<uint16_t> rgba16;
  for (size_t i = 0; i < rgb.size(); i += 3) {
    rgba16.insert(rgba16.end(), {uint16_t(rgb[i] * 257), uint16_t(rgb[i + 1] * 257),
                                 uint16_t(rgb[i + 2] * 257), uint16_t(i * 997 % 65536)});
  }
  std::vector<uint16_t> palette_indices(23 * 17);
  for (size_t i = 0; i < palette_indices.size(); ++i) palette_indices[i] = static_cast<uint16_t>(i % 3);
  std::vector<uint8_t> rgba = s::Pattern(19, 13, 4);
  const uint8_t ink[4] = {10, 200, 120, 30};
  const std::pair<const char*, std::string> seeds[] = {
      {"rgb.png", s::Png(9, 7, 3)},
      {"rgba.png", s::Png(6, 11, 4)},
      {"grey.png", s::Png(13, 5, 1)},
      {"grey-alpha.png", s::Png(4, 4, 2)},
      {"interlaced.png", s::PngEncode(s::PngSpec{23, 17, 8, 2, true, "", ""}, rgb8)},
      {"rgba16.png", s::PngEncode(s::PngSpec{23, 17, 16, 6, false, "", ""}, rgba16)},
      {"rgba16-interlaced.png", s::PngEncode(s::PngSpec{23, 17, 16, 6, true, "", ""}, rgba16)},
      {"palette-trns.png",
       s::PngEncode(s::PngSpec{23, 17, 2, 3, false, std::string("\0\0\0\xff\0\0\0\xff\0", 9),
                               std::string("\0\x80", 2)},
                    palette_indices)},
      {"q60.jpg", s::Jpeg(24, 17, 60)},
      {"q95-444.jpg", s::Jpeg(9, 16, 95)},
      {"progressive.jpg", s::LibJpeg(40, 24, s::JpegOptions{80, true})},
      {"progressive-444.jpg", s::LibJpeg(17, 33, s::JpegOptions{90, true, false})},
      {"progressive-grey.jpg", s::LibJpeg(30, 20, s::JpegOptions{70, true, true, true})},
      {"exif6.jpg", s::LibJpeg(32, 16, s::JpegOptions{85, false, true, false, 6})},
      {"cmyk.jpg", s::CmykJpeg(16, 16, ink, false)},
      {"ycck.jpg", s::CmykJpeg(16, 16, ink, true)},
      {"plain.gif", s::Gif(12, 7, indices, palette)},
      {"transparent.gif", s::Gif(12, 7, indices, palette, 1)},
      {"lossy.webp", s::WebpLossyReal(30, 20)},
      {"lossy-alpha.webp", s::WebpRgba(rgba, 19, 13, false)},
      {"lossless.webp", s::WebpRgba(rgba, 19, 13, true)},
      {"lossy-header.webp", s::WebpLossy(30, 20)},
      {"lossless-header.webp", s::WebpLossless(30, 20)},
      {"extended-header.webp", s::WebpExtended(30, 20)},
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
