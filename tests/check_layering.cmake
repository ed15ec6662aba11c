# Fails when an include crosses the layering of DESIGN §3:
#  - sim/ (the engine) includes none of loader/, policies/, analysis/, cli/, nor yaml-cpp;
#  - loader/ (YAML into sim's specs) includes none of policies/, analysis/, cli/;
#  - policies/ includes neither analysis/ nor cli/;
#  - import/ (vendor specs into policy YAML text) includes none of policies/, analysis/, cli/.
function(check_folder folder pattern)
  file(GLOB_RECURSE files ${ROOT}/${folder}/*.h ${ROOT}/${folder}/*.cc)
  if(NOT files)
    message(FATAL_ERROR "no sources under ${ROOT}/${folder}: wrong ROOT?")
  endif()
  foreach(f ${files})
    file(STRINGS ${f} bad REGEX "${pattern}")
    if(bad)
      message(FATAL_ERROR "${f} breaks layering: ${bad}")
    endif()
  endforeach()
endfunction()
check_folder(sim "#include [\"<](loader|policies|analysis|cli|import|yaml-cpp)/")
check_folder(loader "#include \"(policies|analysis|cli)/")
check_folder(policies "#include \"(analysis|cli)/")
check_folder(import "#include \"(policies|analysis|cli)/")
message(STATUS "layering ok")
