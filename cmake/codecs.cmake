# The image codecs, compiled from the Debian source packages that scripts/fetch-codecs.sh unpacks
# into third_party/src/ (pinned versions, Debian's patches applied). Explicit file lists: only the
# decoder halves go into what ships; the encoder halves of libjpeg-turbo and libwebp are built
# natively for the unit tests only (they write progressive/CMYK JPEG and WebP test inputs).
# Third-party code compiles with warnings off; its bugs are not ours to fix in place.
set(NB_CODECS_SRC ${CMAKE_SOURCE_DIR}/third_party/src)
set(NB_JPEG_DIR ${NB_CODECS_SRC}/libjpeg-turbo-2.1.5)
set(NB_SPNG_DIR ${NB_CODECS_SRC}/libspng-0.7.3)
set(NB_WEBP_DIR ${NB_CODECS_SRC}/libwebp-1.2.4)
set(NB_ZLIB_DIR ${NB_CODECS_SRC}/zlib-1.2.13.dfsg)
foreach(dir ${NB_JPEG_DIR} ${NB_SPNG_DIR} ${NB_WEBP_DIR} ${NB_ZLIB_DIR})
  if(NOT EXISTS ${dir})
    message(FATAL_ERROR "${dir} is missing: run scripts/fetch-codecs.sh (scripts/setup.sh does)")
  endif()
endforeach()

# In wasm the decoders are hot loops: -O2 even in a MinSizeRel build (-Os costs them ~30%).
set(NB_CODEC_OPT)
if(CMAKE_SYSTEM_NAME STREQUAL "WASI")
  set(NB_CODEC_OPT -O2)
endif()

function(nb_third_party_library name)
  add_library(${name} STATIC ${ARGN})
  target_compile_options(${name} PRIVATE -w ${NB_CODEC_OPT})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
endfunction()

# --- zlib: inflate, and deflate only because spng.c's encoder half names it (one object file; the
# wasm linker drops the functions nothing calls) -----------------------------------------------------
nb_third_party_library(nb_zlib
  ${NB_ZLIB_DIR}/adler32.c ${NB_ZLIB_DIR}/crc32.c ${NB_ZLIB_DIR}/inffast.c ${NB_ZLIB_DIR}/inflate.c
  ${NB_ZLIB_DIR}/inftrees.c ${NB_ZLIB_DIR}/zutil.c ${NB_ZLIB_DIR}/deflate.c ${NB_ZLIB_DIR}/trees.c
  ${NB_ZLIB_DIR}/compress.c)
target_include_directories(nb_zlib SYSTEM PUBLIC ${NB_ZLIB_DIR})
target_compile_definitions(nb_zlib PRIVATE HAVE_UNISTD_H NO_GZIP)

# --- libspng: decoder over zlib's inflate -----------------------------------------------------------
nb_third_party_library(nb_spng ${NB_SPNG_DIR}/spng/spng.c)
target_include_directories(nb_spng SYSTEM PUBLIC ${NB_SPNG_DIR}/spng)
target_compile_definitions(nb_spng PUBLIC SPNG_STATIC PRIVATE SPNG_DISABLE_OPT)
target_link_libraries(nb_spng PUBLIC nb_zlib)

# --- libjpeg-turbo: the decompressor, no SIMD, no arithmetic coding ---------------------------------
# Its memory manager's system half (jmemsys.h) is ours: src/codecs/jpeg_memory.cpp, which counts
# every block against the thumbnail plan and provides the lossy DC backing store; so jmemnobs.c is
# not compiled.
set(NB_JPEG_GENERATED ${CMAKE_BINARY_DIR}/codecs/jpeg)
configure_file(${CMAKE_SOURCE_DIR}/cmake/codecs/jconfig.h.in ${NB_JPEG_GENERATED}/jconfig.h COPYONLY)
configure_file(${CMAKE_SOURCE_DIR}/cmake/codecs/jconfigint.h.in ${NB_JPEG_GENERATED}/jconfigint.h COPYONLY)
set(COPYRIGHT_YEAR "1991-2022")
configure_file(${NB_JPEG_DIR}/jversion.h.in ${NB_JPEG_GENERATED}/jversion.h @ONLY)
set(NB_JPEG_COMMON jcomapi jerror jmemmgr jutils jsimd_none)
set(NB_JPEG_DECODER jdapimin jdapistd jdatasrc jdcoefct jdcolor jddctmgr jdhuff jdinput jdmainct
    jdmarker jdmaster jdmerge jdphuff jdpostct jdsample jidctflt jidctfst jidctint jidctred jquant1
    jquant2)
list(TRANSFORM NB_JPEG_COMMON PREPEND ${NB_JPEG_DIR}/)
list(TRANSFORM NB_JPEG_COMMON APPEND .c)
list(TRANSFORM NB_JPEG_DECODER PREPEND ${NB_JPEG_DIR}/)
list(TRANSFORM NB_JPEG_DECODER APPEND .c)
nb_third_party_library(nb_jpeg ${NB_JPEG_COMMON} ${NB_JPEG_DECODER})
target_include_directories(nb_jpeg SYSTEM PUBLIC ${NB_JPEG_DIR} ${NB_JPEG_GENERATED})
target_compile_definitions(nb_jpeg PRIVATE NO_GETENV NO_PUTENV)

# --- libwebp: the decoder (dec, its dsp parts, utils), no threads -------------------------------
set(NB_WEBP_DEC alpha_dec buffer_dec frame_dec idec_dec io_dec quant_dec tree_dec vp8_dec vp8l_dec
    webp_dec)
set(NB_WEBP_UTILS bit_reader_utils color_cache_utils filters_utils huffman_utils
    quant_levels_dec_utils random_utils rescaler_utils thread_utils utils)
# Plain C kernels; the *_sse2/_sse41 files compile to nothing where those are not available (wasm).
set(NB_WEBP_DSP alpha_processing alpha_processing_sse2 alpha_processing_sse41 cpu dec dec_clip_tables
    dec_sse2 dec_sse41 filters filters_sse2 lossless lossless_sse2 lossless_sse41 rescaler
    rescaler_sse2 upsampling upsampling_sse2 upsampling_sse41 yuv yuv_sse2 yuv_sse41)
list(TRANSFORM NB_WEBP_DEC PREPEND ${NB_WEBP_DIR}/src/dec/)
list(TRANSFORM NB_WEBP_UTILS PREPEND ${NB_WEBP_DIR}/src/utils/)
list(TRANSFORM NB_WEBP_DSP PREPEND ${NB_WEBP_DIR}/src/dsp/)
list(TRANSFORM NB_WEBP_DEC APPEND .c)
list(TRANSFORM NB_WEBP_UTILS APPEND .c)
list(TRANSFORM NB_WEBP_DSP APPEND .c)
nb_third_party_library(nb_webp ${NB_WEBP_DEC} ${NB_WEBP_UTILS} ${NB_WEBP_DSP})
target_include_directories(nb_webp SYSTEM PUBLIC ${NB_WEBP_DIR}/src PRIVATE ${NB_WEBP_DIR})
# Every libwebp allocation goes through WebPSafeMalloc/Calloc/Free in utils.c; pointing those at our
# counting allocator (src/codecs/decode_budget.h) puts libwebp's memory under the thumbnail plan.
set_property(SOURCE ${NB_WEBP_DIR}/src/utils/utils.c APPEND PROPERTY COMPILE_DEFINITIONS
             malloc=nb_codec_malloc calloc=nb_codec_calloc free=nb_codec_free)
# --- libjpeg-turbo's compressor: the thumbnails' encoder (src/codecs/jpeg_encoder.cpp), and the
# tests' writer of progressive and CMYK inputs ---------------------------------------------------------
set(NB_JPEG_ENCODER jcapimin jcapistd jccoefct jccolor jcdctmgr jchuff jcicc jcinit jcmainct jcmarker
    jcmaster jcparam jcphuff jcprepct jcsample jdatadst jfdctflt jfdctfst jfdctint)
list(TRANSFORM NB_JPEG_ENCODER PREPEND ${NB_JPEG_DIR}/)
list(TRANSFORM NB_JPEG_ENCODER APPEND .c)
target_sources(nb_jpeg PRIVATE ${NB_JPEG_ENCODER})
if(CMAKE_SYSTEM_NAME STREQUAL "WASI")
  # wasm has a count-leading-zeros instruction; without this the Huffman encoders each carry a 64 KB
  # bit-count table (jpeg_nbits_table.h).
  set_property(SOURCE ${NB_JPEG_DIR}/jchuff.c ${NB_JPEG_DIR}/jcphuff.c APPEND PROPERTY COMPILE_DEFINITIONS
               USE_CLZ_INTRINSIC)
endif()
add_library(nb_jpeg_encoder_for_tests INTERFACE)
target_link_libraries(nb_jpeg_encoder_for_tests INTERFACE nb_jpeg)

# --- libwebp's encoder: tests and benchmark inputs only (never linked into what ships) ---------------
file(GLOB NB_WEBP_ENC ${NB_WEBP_DIR}/src/enc/*.c)
set(NB_WEBP_ENC_EXTRA bit_writer_utils huffman_encode_utils quant_levels_utils)
list(TRANSFORM NB_WEBP_ENC_EXTRA PREPEND ${NB_WEBP_DIR}/src/utils/)
list(TRANSFORM NB_WEBP_ENC_EXTRA APPEND .c)
set(NB_WEBP_ENC_DSP cost cost_sse2 enc enc_sse2 enc_sse41 lossless_enc lossless_enc_sse2
    lossless_enc_sse41 ssim ssim_sse2)
list(TRANSFORM NB_WEBP_ENC_DSP PREPEND ${NB_WEBP_DIR}/src/dsp/)
list(TRANSFORM NB_WEBP_ENC_DSP APPEND .c)
file(GLOB NB_WEBP_SHARPYUV ${NB_WEBP_DIR}/sharpyuv/*.c)
list(FILTER NB_WEBP_SHARPYUV EXCLUDE REGEX "neon")
add_library(nb_webp_encoder_for_tests STATIC EXCLUDE_FROM_ALL ${NB_WEBP_ENC} ${NB_WEBP_ENC_EXTRA}
            ${NB_WEBP_ENC_DSP} ${NB_WEBP_SHARPYUV})
target_compile_options(nb_webp_encoder_for_tests PRIVATE -w ${NB_CODEC_OPT})
target_include_directories(nb_webp_encoder_for_tests PRIVATE ${NB_WEBP_DIR})
target_link_libraries(nb_webp_encoder_for_tests PUBLIC nb_webp)
