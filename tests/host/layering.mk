# layering.mk - the negative test of scripts/check-layering.py (make check-layering runs the
# check itself over each image): check_layering_test.sh puts forbidden calls and includes
# into copies of the tree and expects the check to fail on each.

HOST_TEST_CMDS += tests/host/check_layering_test.sh

.PHONY: test-layering
test-layering:
	$(Q)tests/host/run-all.sh tests/host/check_layering_test.sh
