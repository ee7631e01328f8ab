// stb_image's implementation for the tests (see imaging_stb.h).
#define STB_IMAGE_IMPLEMENTATION
#include "imaging_stb.h"
