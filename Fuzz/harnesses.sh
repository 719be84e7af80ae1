# Sourced by Fuzz/*.sh: `harness_names [NAME...]` sets HARNESSES to the
# harness folders (Fuzz/Harnesses/<Name>) the names choose, in any case;
# all of them without names. An unknown name ends the script (exit 64).
harness_names() {
  local all=() dir name found
  for dir in Fuzz/Harnesses/*/; do all+=("$(basename "$dir")"); done
  HARNESSES=()
  if [ "$#" -eq 0 ]; then HARNESSES=("${all[@]}"); return; fi
  for name in "$@"; do
    found=""
    for dir in "${all[@]}"; do
      if [ "$(echo "$dir" | tr '[:upper:]' '[:lower:]')" = "$(echo "$name" | tr '[:upper:]' '[:lower:]')" ]; then found="$dir"; fi
    done
    [ -n "$found" ] || { echo "fuzz: no harness named $name (Fuzz/Harnesses: ${all[*]})" >&2; exit 64; }
    HARNESSES+=("$found")
  done
}
