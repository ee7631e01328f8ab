// Test inputs that stb_image_write cannot write, made with the codecs' own encoders (libjpeg-turbo's
// compressor and libwebp's encoder, built natively for the tests only: cmake/codecs.cmake) and zlib:
// progressive / CMYK / EXIF-rotated JPEG, lossy / lossless / alpha WebP, and PNG in every colour
// type, bit depth and interlace.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "imaging_samples.h"
#include "zlib.h"

extern "C" {
#include "jpeglib.h"
}
#include "webp/encode.h"

namespace nb::samples {

struct JpegOptions {
  int quality = 90;
  bool progressive = false;
  bool subsample = true;  // 4:2:0, else 4:4:4
  bool grayscale = false;
  uint32_t exif_orientation = 0;  // 0: no EXIF segment
};

// RGB (or gray) pixels through libjpeg-turbo's compressor.
inline std::string LibjpegEncode(const uint8_t* pixels, uint32_t width, uint32_t height,
                                 const JpegOptions& o) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  cinfo.client_data = nullptr;
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = o.grayscale ? 1 : 3;
  cinfo.in_color_space = o.grayscale ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, o.quality, TRUE);
  if (!o.grayscale && !o.subsample) {
    for (int c = 0; c < 3; ++c) cinfo.comp_info[c].h_samp_factor = cinfo.comp_info[c].v_samp_factor = 1;
  }
  if (o.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  if (o.exif_orientation != 0) {
    // "Exif\0\0", little-endian TIFF header, IFD0 with one entry: Orientation (0x0112), SHORT, 1.
    std::string exif("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0", 24);
    exif.push_back(static_cast<char>(o.exif_orientation));
    exif += std::string("\0\0\0\0\0\0\0", 7);
    jpeg_write_marker(&cinfo, JPEG_APP0 + 1, reinterpret_cast<const JOCTET*>(exif.data()),
                      static_cast<unsigned>(exif.size()));
  }
  const size_t stride = size_t{width} * (o.grayscale ? 1 : 3);
  while (cinfo.next_scanline < height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels + cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return out;
}

inline std::string LibJpeg(uint32_t width, uint32_t height, const JpegOptions& o = {}, uint32_t seed = 1) {
  const std::vector<uint8_t> pixels = Pattern(width, height, o.grayscale ? 1 : 3, seed);
  return LibjpegEncode(pixels.data(), width, height, o);
}

// CMYK as Adobe's encoders store it (inverted: 255 is no ink), with libjpeg's Adobe marker.
inline std::string CmykJpeg(uint32_t width, uint32_t height, const uint8_t cmyk_ink[4], bool ycck) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  cinfo.client_data = nullptr;
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, ycck ? JCS_YCCK : JCS_CMYK);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(size_t{width} * 4);
  for (uint32_t x = 0; x < width; ++x)
    for (int c = 0; c < 4; ++c) row[x * 4 + c] = static_cast<uint8_t>(255 - cmyk_ink[c]);
  while (cinfo.next_scanline < height) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return out;
}

// ---- WebP ----------------------------------------------------------------------------------------

inline std::string WebpFromEncoder(uint8_t* data, size_t size) {
  if (data == nullptr || size == 0) std::abort();
  std::string out(reinterpret_cast<const char*>(data), size);
  WebPFree(data);
  return out;
}

inline std::string WebpLossyReal(uint32_t width, uint32_t height, float quality = 80, uint32_t seed = 1) {
  const std::vector<uint8_t> pixels = Pattern(width, height, 3, seed);
  uint8_t* out = nullptr;
  const size_t size = WebPEncodeRGB(pixels.data(), static_cast<int>(width), static_cast<int>(height),
                                    static_cast<int>(width * 3), quality, &out);
  return WebpFromEncoder(out, size);
}

inline std::string WebpRgba(const std::vector<uint8_t>& rgba, uint32_t width, uint32_t height,
                            bool lossless) {
  uint8_t* out = nullptr;
  const size_t size =
      lossless ? WebPEncodeLosslessRGBA(rgba.data(), static_cast<int>(width), static_cast<int>(height),
                                        static_cast<int>(width * 4), &out)
               : WebPEncodeRGBA(rgba.data(), static_cast<int>(width), static_cast<int>(height),
                                static_cast<int>(width * 4), 90, &out);
  return WebpFromEncoder(out, size);
}

// ---- PNG -----------------------------------------------------------------------------------------

struct PngSpec {
  uint32_t width = 0, height = 0;
  uint8_t depth = 8, colour_type = 2;
  bool interlaced = false;
  std::string plte, trns;  // raw chunk payloads, if any
};

inline uint32_t PngChannels(uint8_t colour_type) {
  return colour_type == 2 ? 3 : colour_type == 4 ? 2 : colour_type == 6 ? 4 : 1;
}

// `samples` holds width * height * channels values (each < 2^depth), packed into rows here: filter
// 0, Adam7 passes when interlaced, zlib's deflate.
inline std::string PngEncode(const PngSpec& s, const std::vector<uint16_t>& samples) {
  const uint32_t channels = PngChannels(s.colour_type);
  const auto pack_rows = [&](uint32_t x0, uint32_t dx, uint32_t y0, uint32_t dy, std::string& raw) {
    for (uint32_t y = y0; y < s.height; y += dy) {
      if (x0 >= s.width) return;
      raw.push_back('\0');
      uint32_t acc = 0, bits = 0;
      for (uint32_t x = x0; x < s.width; x += dx) {
        for (uint32_t c = 0; c < channels; ++c) {
          const uint32_t v = samples[(size_t{y} * s.width + x) * channels + c];
          if (s.depth == 16) {
            raw.push_back(static_cast<char>(v >> 8));
            raw.push_back(static_cast<char>(v & 0xFF));
          } else {
            acc = acc << s.depth | v;
            bits += s.depth;
            if (bits == 8) raw.push_back(static_cast<char>(acc)), acc = 0, bits = 0;
          }
        }
      }
      if (bits > 0) raw.push_back(static_cast<char>(acc << (8 - bits)));
    }
  };
  std::string raw;
  if (s.interlaced) {
    const uint32_t x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    const uint32_t y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    for (int p = 0; p < 7; ++p) pack_rows(x0[p], dx[p], y0[p], dy[p], raw);
  } else {
    pack_rows(0, 1, 0, 1, raw);
  }
  uLongf size = compressBound(raw.size());
  std::string z(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
                raw.size(), 6) != Z_OK) {
    std::abort();
  }
  z.resize(size);
  std::string ihdr;
  PutBe32(ihdr, s.width);
  PutBe32(ihdr, s.height);
  ihdr += {static_cast<char>(s.depth), static_cast<char>(s.colour_type), 0, 0,
           static_cast<char>(s.interlaced ? 1 : 0)};
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr);
  if (!s.plte.empty()) png += PngChunk("PLTE", s.plte);
  if (!s.trns.empty()) png += PngChunk("tRNS", s.trns);
  return png + PngChunk("IDAT", z) + PngChunk("IEND", "");
}

}  // namespace nb::samples
