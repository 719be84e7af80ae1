# Runs playbook.yml beside it on localhost.
set -e
cd "$(dirname "$0")"
ansible-playbook -i localhost, playbook.yml
