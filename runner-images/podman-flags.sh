# shellcheck shell=bash disable=SC2034
# Sourced by the runner-images scripts: podman as these hosts need it.
#  - `--runtime runc`: crun fails on this kind of host's hybrid cgroups (field
#    notes §6); it is a global flag, so it goes before the command;
#  - explicit ulimits for `run` and `build`: podman's defaults (nofile 1048576)
#    exceed these hosts' hard limit (20000) and runc cannot raise it; nproc
#    above 32768 is refused the same way (measured). So: the host's hard limits,
#    capped at 65536 open files and 32768 processes.
nofile_limit=$(ulimit -Hn); { [ "$nofile_limit" = unlimited ] || [ "$nofile_limit" -gt 65536 ]; } && nofile_limit=65536
nproc_limit=$(ulimit -Hu); { [ "$nproc_limit" = unlimited ] || [ "$nproc_limit" -gt 32768 ]; } && nproc_limit=32768
PODMAN=(podman --runtime "${SF_PODMAN_RUNTIME:-runc}")
ULIMITS=(--ulimit "nofile=$nofile_limit:$nofile_limit" --ulimit "nproc=$nproc_limit:$nproc_limit")
