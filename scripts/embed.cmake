# Writes a C++ source defining the default scenario text: cmake -DINPUT=... -DOUTPUT=... -P embed.cmake
file(READ "${INPUT}" text)
set(delim "peacesim_sc")
string(FIND "${text}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delim}\"")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace peacesim::io {\nextern const std::string_view kDefaultScenarioText;\nconst std::string_view kDefaultScenarioText = R\"${delim}(${text})${delim}\";\n}  // namespace peacesim::io\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
