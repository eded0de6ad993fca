# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# uvmmod: user entry points. The module itself is defined in Kbuild.
#
#   make [KDIR=...]        build uvm.ko against KDIR (default: running kernel)
#   make demo              fresh machine: build, boot stock 6.12 in QEMU, demo
#   make check [LANE=...]  every lane and static check; ends "N passed, N failed"
#   make bench [LANE=...]  benchmarks against native memory (stock-6.12 default;
#                          RUNS=5, ONLY=glob); results in build/bench/<lane>/
#   make dkms-install      register, build and install with DKMS (root)
#   make dkms-remove       remove every DKMS-installed version (root)

KDIR ?= /lib/modules/$(shell uname -r)/build
LANE ?=
TESTS ?=
RUNS ?=
ONLY ?=

export LANE TESTS RUNS ONLY

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools clean
	rm -rf build

tools:
	$(MAKE) -C tools

demo:
	scripts/demo.sh

check:
	scripts/check.sh $(LANE)

bench:
	scripts/bench.sh $(LANE)

deps:
	scripts/deps.sh

checkpatch:
	scripts/checkpatch.sh

dkms-install:
	scripts/dkms.sh install

dkms-remove:
	scripts/dkms.sh remove

.PHONY: all modules clean tools demo check bench deps checkpatch dkms-install dkms-remove
