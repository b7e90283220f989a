#!/bin/bash -eu
# ClusterFuzzLite entry point: the same build as OSS-Fuzz's.
exec "$SRC/hparse/fuzz/oss-fuzz/build.sh"
