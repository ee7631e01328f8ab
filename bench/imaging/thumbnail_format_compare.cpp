// Which format and encoder the thumbnails should use, measured natively: for photo-like thumbnails
// (photo_sample.h, made at 12 MP and area-resized to 384 px like the real path), the size, PSNR and
// SSIM (luma, 8x8 windows) of stb_image_write's JPEG, libjpeg-turbo's JPEG (no SIMD, as in wasm) and
// libwebp's lossy WebP at several qualities, and each encoder's time. Not part of any build by default:
// cmake --build <native dir> --target thumbnail_format_compare. Figures: src/codecs/README.md.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "codecs/area_resize.h"
#include "imaging/stb_codecs.h"
#include "photo_sample.h"
#include "webp/decode.h"
#include "webp/encode.h"

extern "C" {
#include "jpeglib.h"
}

namespace {

using Clock = std::chrono::steady_clock;

std::vector<uint8_t> DecodeJpeg(const std::string& bytes, uint32_t w, uint32_t h) {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  cinfo.client_data = nullptr;
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  std::vector<uint8_t> out(size_t{w} * h * 3);
  while (cinfo.output_scanline < h) {
    JSAMPROW row = out.data() + size_t{cinfo.output_scanline} * w * 3;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return out;
}

std::string LibjpegEncode(const std::vector<uint8_t>& rgb, uint32_t w, uint32_t h, int quality) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  cinfo.client_data = nullptr;
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = w, cinfo.image_height = h, cinfo.input_components = 3, cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.optimize_coding = TRUE;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < h) {
    JSAMPROW row = const_cast<uint8_t*>(rgb.data() + size_t{cinfo.next_scanline} * w * 3);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  std::free(buffer);
  return out;
}

double Psnr(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  double se = 0;
  for (size_t i = 0; i < a.size(); ++i) se += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return 10 * std::log10(255.0 * 255.0 / (se / a.size()));
}

double Ssim(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, uint32_t w, uint32_t h) {
  const auto luma = [&](const std::vector<uint8_t>& p, size_t i) {
    return 0.299 * p[3 * i] + 0.587 * p[3 * i + 1] + 0.114 * p[3 * i + 2];
  };
  const double c1 = 6.5025, c2 = 58.5225;
  double sum = 0;
  int windows = 0;
  for (uint32_t y = 0; y + 8 <= h; y += 4)
    for (uint32_t x = 0; x + 8 <= w; x += 4) {
      double ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
      for (uint32_t j = 0; j < 8; ++j)
        for (uint32_t i = 0; i < 8; ++i)
          ma += luma(a, (y + j) * w + x + i), mb += luma(b, (y + j) * w + x + i);
      ma /= 64, mb /= 64;
      for (uint32_t j = 0; j < 8; ++j)
        for (uint32_t i = 0; i < 8; ++i) {
          const double da = luma(a, (y + j) * w + x + i) - ma, db = luma(b, (y + j) * w + x + i) - mb;
          va += da * da, vb += db * db, cov += da * db;
        }
      va /= 63, vb /= 63, cov /= 63;
      sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      ++windows;
    }
  return sum / windows;
}

template <typename F>
double Ms(F f) {
  const auto start = Clock::now();
  for (int i = 0; i < 20; ++i) f();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / 20;
}

}  // namespace

int main() {
  const uint32_t sw = 4000, sh = 3000, w = 384, h = 288;
  for (float grain : {2.0f, 8.0f, 16.0f}) {
    const std::vector<uint8_t> big = nb::bench::PhotoLikeRgb(sw, sh, grain);
    std::vector<uint8_t> thumb(size_t{w} * h * 3);
    nb::AreaResizeRgb(big.data(), sw, sh, thumb.data(), w, h);
    std::printf("photo-like 4000x3000 grain %.0f -> 384x288 thumbnail\n", grain);
    for (int q : {75, 82, 90}) {
      std::string stb;
      const double stb_ms = Ms([&] { stb = nb::EncodeJpeg(thumb.data(), w, h, 3, q).value(); });
      const auto stb_px = DecodeJpeg(stb, w, h);
      std::string lj;
      const double lj_ms = Ms([&] { lj = LibjpegEncode(thumb, w, h, q); });
      const auto lj_px = DecodeJpeg(lj, w, h);
      std::printf(
          "  JPEG q%d  stb: %6zu B  PSNR %.2f  SSIM %.4f  %.2f ms | libjpeg-turbo (optimized Huffman): %6zu B"
          "  PSNR %.2f  SSIM %.4f  %.2f ms\n",
          q, stb.size(), Psnr(thumb, stb_px), Ssim(thumb, stb_px, w, h), stb_ms, lj.size(),
          Psnr(thumb, lj_px), Ssim(thumb, lj_px, w, h), lj_ms);
    }
    for (float q : {60.f, 70.f, 75.f, 80.f, 85.f, 90.f}) {
      uint8_t* out = nullptr;
      size_t size = 0;
      const double ms = Ms([&] {
        if (out) WebPFree(out);
        size = WebPEncodeRGB(thumb.data(), int(w), int(h), int(w * 3), q, &out);
      });
      int dw = 0, dh = 0;
      uint8_t* px = WebPDecodeRGB(out, size, &dw, &dh);
      const std::vector<uint8_t> decoded(px, px + size_t{w} * h * 3);
      std::printf("  WebP q%.0f: %6zu B  PSNR %.2f  SSIM %.4f  %.2f ms\n", q, size, Psnr(thumb, decoded),
                  Ssim(thumb, decoded, w, h), ms);
      WebPFree(px);
      WebPFree(out);
    }
  }
  return 0;
}
