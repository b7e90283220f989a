# The peer parsers hparse is held against (differential fuzzing, `hparse
# compare`, bench/parser), all optional Debian packages (bash ci/setup.sh):
# - picohttpparser: libh2o-evloop-dev exports phr_parse_request and
#   phr_decode_chunked (no header: the prototypes are declared where used);
# - http-parser 2.9: libhttp-parser-dev;
# - llhttp 8.1: node-llhttp ships its generated C (llhttp.c, api.c, http.c)
#   and llhttp.h; compiled here into the static library llhttp_peer, at -O2
#   and without warnings (it is not our code), whatever the build type.
# Sets HPARSE_HAVE_PICO, HPARSE_HAVE_HTTP_PARSER, HPARSE_HAVE_LLHTTP.
# HPARSE_PEERS=OFF looks for none (CI builds so once, as a machine without
# the packages would).
option(HPARSE_PEERS "Use the peer parsers the machine has" ON)
if(HPARSE_PEERS)
  find_package(PkgConfig)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(H2O_EVLOOP IMPORTED_TARGET libh2o-evloop)
  endif()
  find_library(HTTP_PARSER_LIB http_parser)
  find_path(LLHTTP_INCLUDE_DIR llhttp.h PATHS /usr/share/include/llhttp /usr/include/llhttp)
  find_path(LLHTTP_SOURCE_DIR llhttp.c PATHS /usr/share/llhttp)
endif()

set(HPARSE_HAVE_PICO OFF)
set(HPARSE_HAVE_HTTP_PARSER OFF)
set(HPARSE_HAVE_LLHTTP OFF)
if(H2O_EVLOOP_FOUND)
  set(HPARSE_HAVE_PICO ON)
endif()
if(HTTP_PARSER_LIB)
  set(HPARSE_HAVE_HTTP_PARSER ON)
endif()
if(LLHTTP_INCLUDE_DIR AND LLHTTP_SOURCE_DIR)
  set(HPARSE_HAVE_LLHTTP ON)
  add_library(llhttp_peer STATIC ${LLHTTP_SOURCE_DIR}/llhttp.c ${LLHTTP_SOURCE_DIR}/api.c
              ${LLHTTP_SOURCE_DIR}/http.c)
  target_include_directories(llhttp_peer SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
  target_compile_options(llhttp_peer PRIVATE -O2 -w)
endif()
message(STATUS "hparse peers: picohttpparser ${HPARSE_HAVE_PICO}, http-parser "
               "${HPARSE_HAVE_HTTP_PARSER}, llhttp ${HPARSE_HAVE_LLHTTP}")
