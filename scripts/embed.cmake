# Writes a C++ source defining a text file as a std::string_view in peacesim::io:
#   cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=kDefaultScenarioText -P embed.cmake
file(READ "${INPUT}" text)
set(delim "peacesim_sc")
string(FIND "${text}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delim}\"")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace peacesim::io {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"${delim}(${text})${delim}\";\n}  // namespace peacesim::io\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
