# Installs the build into a fresh temporary prefix (outside the source and build trees) and runs
# the installed fleetsim from an empty working directory elsewhere: a ready-made policy by name
# for the user's own scenario, a ready-made example by name, the help text's data directory, an
# outage replay by name, and an installed baseline held to its recorded values exactly. A policy
# that does not exist must be looked for in the prefix's share/fleetsim and not in the source
# tree (so the installed binary really uses its own data).
# Arguments: -DBUILD_DIR=... -DSOURCE_DIR=...
if(NOT BUILD_DIR OR NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DBUILD_DIR=B -DSOURCE_DIR=S -P check_install.cmake")
endif()
set(tmp "$ENV{TMPDIR}")
if(NOT tmp)
  set(tmp "/tmp")
endif()
string(RANDOM LENGTH 10 tag)
set(top "${tmp}/fleetsim-install-test-${tag}")
set(prefix "${top}/prefix")
set(work "${top}/work")
file(MAKE_DIRECTORY "${work}")

function(run_in dir)
  cmake_parse_arguments(R "" "EXPECT;CONTAINS;LACKS" "COMMAND" ${ARGN})
  execute_process(COMMAND ${R_COMMAND} WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REPLACE ";" " " shown "${R_COMMAND}")
  if(NOT rc STREQUAL R_EXPECT)
    file(REMOVE_RECURSE "${top}")
    message(FATAL_ERROR "${shown}: exit ${rc}, expected ${R_EXPECT}\n${out}${err}")
  endif()
  if(R_CONTAINS)
    string(FIND "${out}${err}" "${R_CONTAINS}" at)
    if(at EQUAL -1)
      file(REMOVE_RECURSE "${top}")
      message(FATAL_ERROR "${shown}: output lacks '${R_CONTAINS}'\n${out}${err}")
    endif()
  endif()
  if(R_LACKS)
    string(FIND "${out}${err}" "${R_LACKS}" at)
    if(NOT at EQUAL -1)
      file(REMOVE_RECURSE "${top}")
      message(FATAL_ERROR "${shown}: output names '${R_LACKS}'\n${out}${err}")
    endif()
  endif()
endfunction()

run_in("${work}" EXPECT 0 COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
set(data "${prefix}/share/fleetsim/scenarios")
foreach(f bin/fleetsim share/fleetsim/scenarios/policies/big-bang.yaml
          share/fleetsim/scenarios/examples/quickstart.yaml
          share/fleetsim/scenarios/outages/cloudflare-2019-waf.yaml
          share/fleetsim/scenarios/baselines/big-bang-quickstart.yaml)
  if(NOT EXISTS "${prefix}/${f}")
    file(REMOVE_RECURSE "${top}")
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
set(bin "${prefix}/bin/fleetsim")

# The user's own scenario (a copy, away from every ready-made file) under a named policy.
file(COPY "${data}/examples/quickstart.yaml" DESTINATION "${work}")
run_in("${work}" EXPECT 0 CONTAINS "big-bang"
       COMMAND "${bin}" run quickstart.yaml --policy big-bang --replicas 2 --threads 1)
# A ready-made example by name, and the help text naming the installed data (not the sources).
run_in("${work}" EXPECT 0 CONTAINS "quickstart"
       COMMAND "${bin}" run quickstart --replicas 2 --threads 1)
run_in("${work}" EXPECT 0 CONTAINS "${data}" LACKS "${SOURCE_DIR}" COMMAND "${bin}" --help)
run_in("${work}" EXPECT 0 CONTAINS "Cloudflare"
       COMMAND "${bin}" replay cloudflare-2019-waf --policy staged-15m)
run_in("${work}" EXPECT 0 CONTAINS "results identical to the recorded baseline"
       COMMAND "${bin}" check --exact --threads 1 "${data}/baselines/big-bang-quickstart.yaml")
run_in("${work}" EXPECT 2 CONTAINS "${data}/policies/no-such-policy.yaml" LACKS "${SOURCE_DIR}"
       COMMAND "${bin}" run quickstart.yaml --policy no-such-policy)
file(REMOVE_RECURSE "${top}")
message(STATUS "installed fleetsim ok")
