"""One line that names a failed test, as each runner prints it (Surefire, Gradle, mocha, Karma, bun,
node:test, Collision and the rest): `named_failure` reads the first one in a run of lines, oldest
first, skipping tests a runner retried and then passed, and taking a block-shaped listing
(`failure_blocks.py`) where one starts. A tally's fact comes from here when the tally names no test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from smartmon.diagnose.failure_blocks import listed_failure
from smartmon.diagnose.retried_tests import retried_passes

# rustdoc's doctests: "test src/lib.rs - foo::bar (line 12) ... FAILED" (" - compile fail" after the
# line for a compile_fail block); a crate-level example names no item, "src/lib.rs - (line 1)"
# (rust-lang/rust #140289), and on Windows the path keeps its backslashes.
DOCTEST = r"(?: - (?:.+? )?\(line \d+\)(?: - compile(?: fail)?)?)?"
# gotestsum's summary of a failed test: "=== FAIL: internal/cache TestEviction (0.01s)" (a rerun adds
# " (re-run 1)" before the time; gotestsum's testjson/format.go).
TEST_GOTESTSUM = re.compile(r"^=== FAIL: \S+ (?P<test>\S+?)(?: \(re-run \d+\))? \([\d.]+m?s\)\s*$")

# Per-runner lines that name one failed test, as each runner prints it. The group `test` is the fact;
# a `cont` group means the title goes on in the indented lines below (mocha, cypress).
_NAMED_FAILURES = tuple(
    re.compile(p)
    for p in (
        # Maven Surefire 2.x/3.0: "[ERROR] testAdd(com.acme.CalcTest)  Time elapsed: 0.01 s  <<< FAILURE!";
        # 3.x: "[ERROR] com.acme.CalcTest.testAdd -- Time elapsed: 0.012 s <<< ERROR!". Maven 3.9 on a
        # runner prints "Error:  " where it prints "[ERROR] " elsewhere (objectionary/eo#1508).
        # Kotlin names a test with spaces (`fun \`adds two numbers\`()`): "[ERROR] adds two
        # numbers(com.acme.CalcTest)  Time elapsed: …", 3.x "[ERROR] com.acme.CalcTest.adds two
        # numbers -- Time elapsed: …" (javalin/javalin PR #755); never the class's "Tests run: 3, …".
        # A JUnit 5 parameterized invocation keeps its parameter types and index: "[ERROR] org.jsoup.
        # integration.ConnectTest.postFiles(String)[1] -- Time elapsed: 0.056 s <<< FAILURE!", "….
        # FileChannelsTest.testContentEqualsEmpty(int, FileChannelType)[1] -- …", "…Succeeds()[2] -- …".
        # Surefire before 2.13 printed no level: "testApp(com.acme.AppTest)  Time elapsed: 0.004 sec
        # <<< FAILURE!".
        r"^(?:(?:\[ERROR\]|Error:) +)?(?P<test>[\w.$]+(?:\([\w.$\[\], ]*\))?(?:\[\d+\])?|[\w$][^()<>:,]*?(?:\([\w.$]+\))?)(?: --)?\s+Time elapsed: .*<<< (?:FAILURE|ERROR)!",
        # Surefire's Results list: "[ERROR]   CalcTest.testAdd:21 expected: <3> but was: <2>", a frame
        # inside the test "CalcTest.testAdd:43->helper:68 NullPointer" (Surefire's "new error summary"
        # page); with rerunFailingTestsCount each attempt is a row under the test, "[ERROR]   Run 1:
        # CalcTest.testAdd:21 …". A Kotlin name with spaces ends at its ":line" or " » Exception". A
        # console that is not UTF-8 prints the "»" as "?" ("[ERROR]   AppTest.contextLoads ? IllegalState
        # Failed to load...", promregator/promregator #147) or, read back as Latin-1, "Â»". A test
        # method declared in a superclass is "SubTest>BaseTest.method:93" (Surefire's "new error
        # summary" page; "SwitchboardEditorTest>AbstractEditorTestBase.testChangeView:93 »
        # ConcurrentModification", JMRI/JMRI PR #9322).
        r"^(?:\[ERROR\]|Error:)\s{2,}(?:Run \d+: )?(?P<test>(?:[\w$]+>)?[\w$]+(?:\.[\w$]+)*\.[^\s.:»?][^.:»?]*?)(?::\d+(?:->\S+)?(?: .*)?| (?:»|\?|Â») .*)$",
        r"^(?:\[ERROR\]|Error:)\s{2,}(?:Run \d+: )?(?P<test>(?:[\w$]+>)?[\w$]+(?:\.[\w$]+)+(?:\[\d+\])?)(?::\d+(?:->\S+)?)?(?: (?:[»\w]|\? |Â»).*)?$",
        # A class that failed before its tests ran (a @BeforeAll, a container that did not start) is
        # listed by its name alone: "[ERROR]   MtiScoresRepositoryTest » IllegalState Previous
        # attempts to find a Docker environment failed. …" (Surefire 3's Errors list).
        r"^(?:\[ERROR\]|Error:)\s{2,}(?P<test>[\w$]+) (?:»|Â») \S",
        # Surefire before 2.13 (Maven 3.0, no "[ERROR]"): "Failed tests:   testApp(com.acme.AppTest)"
        # after "Results :", ": message" after it when the assertion had one (the Maven getting-started
        # output; "Tests in error: " likewise).
        r"^(?:Failed tests|Tests in error):\s+(?P<test>[\w$]+\([\w.$]+\))",
        # cilium-cli's connectivity test report lists each failed test as "Test [client-ingress]:"
        # over its failed actions (ct.Logf("Test [%s]:", …) in connectivity/check/context.go); the
        # progress line "[=] [cilium-test-1] Test [client-ingress] [3/98]" ends otherwise.
        r"^Test \[(?P<test>[\w.-]+)\]:\s*$",
        # TestNG's own reporter: "FAILED: createuser" ("PASSED: login" for the others), a data-
        # provider invocation with its arguments.
        r"^FAILED: (?P<test>[\w.$]+(?:\(.*\))?)\s*$",
        # pytest names a module that failed at collection by its path (its node id): "ERROR tests/
        # test_x.py - TypeError: …" in the short summary (azukds/tubular #184), "____ ERROR collecting
        # tests/test_x.py ____" over the ERRORS section.
        r"^ERROR (?P<test>[^\s:]+\.py)(?: - .*)?\s*$",
        r"^_{3,} ERROR collecting (?P<test>[^\s:]+\.py) _{3,}\s*$",
        # A fixture or setup_method that raised heads its ERRORS entry "____ ERROR at setup of
        # test_mjpeg_url ____" ("teardown" for a finalizer; _pytest/terminal.py's summary_errors):
        # the test it was setting up (motioneye-project/motioneye #2325, "fixture 'data' not found").
        # The rule shrinks to one "_" a side for a long (parametrized) name on an 80-column terminal.
        r"^_+ ERROR at (?:setup|teardown) of (?P<test>\S.*?) _+\s*$",
        # Julia's Test names the innermost testset: "Collect Results: Error During Test at /…/test/
        # runtests.jl:9" (JuliaDynamics/DrWatson.jl PR #218), "parse: Test Failed at /…/runtests.jl:4".
        r"^(?P<test>\S[^:]*?): (?:Test Failed|Error During Test) at \S+:\d+\s*$",
        # TestNG under Gradle sits in the suite and test Gradle makes up: "Gradle suite > Gradle test >
        # com.acme.server.TestCoordinator.testLeaderElection FAILED" (linkedin/brooklin's CI), "Gradle
        # suite > Gradle test > ru.acme.SquareTests > testArea FAILED"; the test is what follows them.
        r"^Gradle suite > Gradle test > (?P<test>\S.*?) FAILED\s*$",
        # Gradle: "CalcTest > testAdd() FAILED", "com.acme.CalcTest > adds numbers FAILED"; Kotlin
        # Multiplatform tags the target, "com.acme.ParserTest[jvm] > parsesEmpty()[jvm] FAILED".
        r"^(?P<test>[\w.$]+(?:\[\w+\])? > .+?) FAILED\s*$",
        # nf-test: "  Test [693ba951] 'Should run without failures' FAILED (4.652s)"; gradle-test-logger-
        # plugin (its standard and plain themes) under the class: "  Test JwtAuthService can sign and
        # decode tokens() FAILED", a slow one with its time; both close with "FAILURE: Executed 1 tests
        # in 1s (1 failed)".
        r"^\s+Test \[[0-9a-f]+\] '(?P<test>.+)' FAILED \([\d.]+m?s\)\s*$",
        r"^\s+Test (?P<test>\S.*?) FAILED(?: \([\d.]+m?s\))?\s*$",
        # gradle-test-logger-plugin's mocha theme marks a failed test "    ✘ testCloseCallsInner
        # CloseWhenInstructed() (1.3s)" under its class, then "  1 failing" (awslabs/analytics-
        # accelerator-s3 PR #108). Playwright's "  ✘  1 [chromium] › a.spec.ts:3:1 › title" (two
        # spaces, a "›" path) is its own.
        r"^\s+✘ (?!\s)(?P<test>[^›\s][^›]*?)(?: \((?:\d+m )?[\d.]+m?s\))?\s*$",
        # The JUnit Platform Console Launcher's tree: "│  │  └─ normalDay() ✘ expected: <10000> but
        # was: <8000>" (a class's own row, when its setup threw: "│  ├─ OrderIT ✘ Container startup
        # failed").
        r"^[\s│]*[├└]─ (?P<test>\S.*?) ✘(?: .*)?$",
        # ScalaTest's reporter under sbt: "[info] - [SPARK-3353] parent stage should have lower stage id
        # *** FAILED *** (27 milliseconds)" under its suite's "[info] DAGSchedulerSuite:" (SPARK-5074);
        # a nested spec's test is indented further; "*** 1 TEST FAILED ***" tallies them.
        r"^(?:\[info\] )?\s*- (?P<test>\S.*?) \*\*\* FAILED \*\*\*(?: \(\d+ (?:milli)?seconds?\))?\s*$",
        # libtest (cargo test) heads each failure's output "---- tests::parses stdout ----"; cargo
        # nextest reports "    FAIL [   0.014s] takeoff::main test_set_origin" (the binary id, then
        # the test; newer versions count "(100/115)" first; with --retries each attempt is "TRY 2 FAIL
        # [   0.003s] …", nexte.st "Retries and flaky tests"). CTest lists "The following tests
        # FAILED:" then "\t  3 - parser_test (Failed)"; GoogleTest "[  FAILED  ] Suite.Test (0 ms)",
        # cmocka "[  FAILED  ] test_get_size" (no time).
        r"^---- (?P<test>\S+" + DOCTEST + r") stdout ----\s*$",
        r"^\s*(?:TRY \d+ )?(?:FAIL|SIGSEGV|SIGABRT|SIGKILL|TIMEOUT|ABORT) \[\s*[\d.]+s\] (?:\(\s*\d+/\d+\) )?(?:\S+ )?(?P<test>[\w:]+)\s*$",
        TEST_GOTESTSUM.pattern,
        # CTest's progress row of a failed test, before the list: "  2/3 Test  #2: parser_test
        # .........***Failed    0.05 sec", "19/24 Test #19: case_2d .....Subprocess aborted***Exception:"
        # (facebook/mvfst #80, kit-cel/gr-radar #45).
        r"^\s*\d+/\d+ Test\s+#\d+: (?P<test>\S+) \.*[^.*]*\*\*\*",
        # Bazel: "FAIL: //pkg:parser_test (see /…/testlogs/pkg/parser_test/test.log)" as it fails, then
        # "//pkg:parser_test      FAILED in 1.2s" ("FAILED in 3 out of 3 in 0.6s" with retries) in
        # its summary (googlearchive/graphd #1, bazelbuild/bazel #25324).
        r"^FAIL: (?P<test>//\S+) \(see ",
        # Automake's test harness (make check): "FAIL: test_cli", "FAIL: tests/parse.sh", a TAP test
        # "FAIL: t/basic.t 3 - parses input"; its "# FAIL:  1" tally and unittest's "FAIL: test_x (…)"
        # do not fit (GNU Automake manual, "Simple Tests using parallel-tests").
        r"^FAIL: (?P<test>[\w.+-][\w./+-]*)(?: \d+ - .*)?\s*$",
        r"^(?P<test>//\S+)\s+FAILED in ",
        r"^\s*\d+ - (?P<test>\S+) \((?:Failed|SEGFAULT|Timeout|Not Run|Subprocess aborted|Child aborted|Exception|OTHER_FAULT|ILLEGAL|INTERRUPT|NUMERICAL|Bus error|BAD_COMMAND)\)\s*$",
        r"^\[  FAILED  \] (?P<test>[\w/.]+)(?:, where .*)?(?: \(\d+ ms\))?\s*$",
        # Criterion "[FAIL] Suite::test_name: (0.00s)"; Check "test_check.c:13:F:TC1:test_name_1:0: …".
        r"^\[FAIL\] (?P<test>[\w-]+::[\w-]+)(?:: \([\d.]+s\))?\s*$",
        r"^\S+:\d+:[FE]:[^:]+:(?P<test>\w+):-?\d+: ",
        # Boost.Test: 'tests/parse.cpp(42): error: in "parser_suite/handles_empty": check … has
        # failed', "fatal error: in …" for a REQUIRE or a signal ("unknown location(0): …").
        r'^\S.*\(\d+\): (?:fatal )?error:? in "(?P<test>[^"]+)": ',
        # unittest -v: "test_known_gap (tests.test_cli.TestCli.test_known_gap) ... unexpected success".
        r"^(?P<test>test\w*) \([\w.]+\) \.\.\. (?:FAIL|ERROR|unexpected success)\s*$",
        # Haskell's tasty, a test indented under its groups: "    parses empty input: FAIL" (with
        # " (0.02s)" when timed) over "1 out of 2 tests failed (0.00s)".
        r"^\s+(?P<test>\S[^:]*?):\s+FAIL(?: \([\d.]+s\))?\s*$",
        # Perl's Test::More: "#   Failed test 'adds numbers'"; pgTAP '# Failed test 1: "name"'.
        r"^#\s+Failed test (?:\d+: )?(?P<q>['\"])(?P<test>.+)(?P=q)\s*$",
        # A libtest test runs on a thread named after it: "thread 'tests::parses_empty' panicked at
        # src/lib.rs:42:9:" (the program's own "thread 'main' panicked" is no test).
        r"^thread '(?!main'|<unnamed>')(?P<test>[\w:]+)' panicked at ",
        # Go: a panic or a data race inside a test without a "--- FAIL:" line (a goroutine the test
        # started, "exit status 66" of -race) names the test in its stack: the frame
        # "github.com/acme/app/store.TestPut(0xc000404000)" / "….TestPut.func1()" or "created by
        # github.com/acme/app/store.TestPut in goroutine 22" (ooni/probe-engine #874, thrasher-corp/
        # gocryptotrader #1987, asticode/go-astilectron #50).
        r"^\s*(?:[\w.~-]+/)*[\w.~-]+\.(?P<test>(?:Test|Fuzz)(?:[A-Z0-9_]\w*)?)(?:\.func\d+(?:\.\d+)*)*\([^()]*\)\s*$",
        r"^\s*created by (?:[\w.~-]+/)*[\w.~-]+\.(?P<test>(?:Test|Fuzz)(?:[A-Z0-9_]\w*)?)(?:\.func\d+(?:\.\d+)*)*(?: in goroutine \d+)?\s*$",
        # testing's own panic when a goroutine reports after its test returned names the test (or
        # subtest): "panic: Fail in goroutine after TestCacheMountLockedRefs has completed" (moby/
        # buildkit #3191), "panic: Log in goroutine after TestWatch/dir has completed: …" (testing.go).
        r"^panic: (?:Fail|Log) in goroutine after (?P<test>(?:Test|Fuzz|Benchmark|Example)\S*) has completed\b",
        # TAP (node --test's tap reporter, bats, prove): "not ok 1 - adds two numbers", "not ok 2 parses
        # input"; a "# TODO"/"# SKIP" directive is no failure. tape fails a test that never called
        # end() with an assertion of its own that names it, "not ok 110 test exited without ending:
        # elastic openai instrumentation" (Test.prototype._exit in tape's lib/test.js; elastic/
        # elastic-otel-node #587, a redis-connection run with "… ending: test/local_redis.test.js ->
        # Connect …"); before tape 4.7 the line named no test ("not ok 2 test exited without
        # ending"), nor does a wrong assertion count ("not ok 3 plan != count").
        r"^not ok \d+ (?:- )?(?:test exited without ending: )?"
        r"(?!(?:test exited without ending|plan != count)\s*$)(?P<test>[^#\s][^#]*?)\s*$",
        # dotnet test (VSTest): "  Failed Acme.Tests.CalcTests.Add [12 ms]", "  X Acme.Tests.Add [12ms]",
        # (The log cleaner reads "[134m" of "[134ms]" as a colour code, leaving " s]".)
        # "  X TheSearchTest [6s 729ms]" (azure-pipelines-tasks #12657). A display name may hold spaces
        # and backticks: F#'s ``parses a nested array`` tests (dotnet/fsharp #9609, microsoft/testfx
        # #1395), NUnit's "Fixture.Method (Case 1)" (nunit/nunit3-vs-adapter #1490), a generic
        # fixture's arity ("Acme.Tests.ListTests`1.Adds").
        r"^\s*(?:Failed|X) (?P<test>[\w.`]+(?:[ \w.,'`+-]*[\w`])?(?: ?\([^)]*\))?) (?:\[[\d.<> hms]*\]|[\d.<> hms]*s\])",
        # Microsoft.Testing.Platform (MSTest/xUnit v3 runners, `dotnet test` on MTP): "  failed
        # Invalid_Name_Should_Fail ("net9.0",Debug) (6s 220ms)" (microsoft/testfx PR #6240).
        r"^\s*failed (?P<test>[\w.]+)(?:\s*\(.*\))?\s+\((?:\d+h )?(?:\d+m )?(?:\d+s )?\d+ms\)\s*$",
        # dotnet test on Microsoft.Testing.Platform under MSBuild reports each failure as an error of
        # the test's source line: "/_/tests/Acme.Tests/CalcTests.cs(48): error test failed: Add (85ms):
        # Assert.AreEqual failed. [/…/Acme.Tests.csproj]" (neo-project/neo #4294).
        r"^\S.*?: error test failed: (?P<test>\S.*?) \((?:\d+h )?(?:\d+m )?(?:\d+s )?\d+ms\): ",
        # xUnit.net v2 (its VSTest adapter and its console runner): "[xUnit.net 00:01:14.37]
        # Acme.Tests.CalcTests.Add(x: 1) [FAIL]" (dotnet/sdk #46923).
        r"^(?:\[xUnit\.net [\d:.]+\])?\s+(?P<test>[\w.`]+(?:[ \w.,'`+-]*[\w`])?(?: ?\(.*\))?) \[FAIL\]\s*$",
        # NUnit 3's console runner lists "1) Failed : Acme.Tests.CalcTests.Add(1,2)" under "Errors,
        # Failures and Warnings" ("Error :" for an exception, "Invalid :" for a bad test; nunit/nunit
        # #3230).
        r"^\s*\d+\) (?:Failed|Error|Invalid) : (?P<test>\S.*?)\s*$",
        # Robot Framework's console: "Invalid Password Shows Error      | FAIL |" then the message; the
        # suite's own "| FAIL |" row comes after its tests, over "2 tests, 0 passed, 2 failed"
        # (robotframework/robotframework #2795).
        r"^(?P<test>[^\s|].*?)\s+\| FAIL \|\s*$",
        # Collision (Pest, `php artisan test`): "   FAILED  Tests\\Feature\\ExampleTest > it returns a
        # successful response   MissingAppKeyException" (7+, the exception's class after the title when
        # it is no assertion; long titles cut with "…"); Collision 5/6 lists "  • Tests\\Feature\\
        # CustomerTest > only logged in users can see customers list" under "  ---".
        r"^\s*(?:FAILED\s+|• )(?P<test>[\w\\]+ > \S.*?)(?:\s{2,}[\w\\]+)?\s*$",
        # PHPUnit: "1) Acme\\Tests\\CalcTest::testAdd" (with a data set: "… with data set #0 (1, 2)").
        r"^\d+\) (?P<test>[\w\\]+::\w+)(?: with data set .*)?\s*$",
        # RSpec's rerun list: "rspec ./spec/models/user_spec.rb:12 # User validates email".
        r"^rspec (?:\./\S+:\d+(?:\[[\d:,]+\])?|'\./[^\s']+\[[\d:,]+\]') # (?P<test>.+?)\s*$",
        # Minitest: "UserTest#test_full_name [/…/test/models/user_test.rb:8]:" after "  1) Failure:";
        # a spec's is "<describe text>#test_0002_<it text> [file:line]:" ("minitest-rg#test_0002_fails
        # […]:", minitest/minitest-rg #12; ordinaryzelig/capybara_minitest_spec #11).
        r"^(?P<test>[\w:]+#\w+|[A-Za-z][^#\[\]]*#test_\d+_[^\[\]]*?) \[[^\]]+:\d+\]:?\s*$",
        # Minitest 4 and minitest-reporters' default reporter: "test_parses(ParserTest) [file:line]:"
        # (minitest-reporters #27), its error "test_sends(MailerTest):" alone; test-unit's "Failure:
        # test_encode(EncoderTest)" / "Error: test_x(Suite): NoMethodError: …". The skip above a
        # Minitest 5.11 verbose "Failure:" block is no failure (its "N) Skipped:" header).
        r"^(?:(?:Failure|Error): )?(?P<test>test[\w:]*\([\w:]+\))(?: \[[^\]]+:\d+\]:?|:|\s*$)",
        # minitest-reporters' progress reporter: "FAIL UsersControllerTest#test_create (0.05s)",
        # "ERROR …"; its spec reporter a row under the class: "  test_create      FAIL (0.05s)".
        r"^\s*(?:FAIL|ERROR) (?P<test>[\w:]+#\w+) \(\d+(?:\.\d+)?s\)\s*$",
        # Its spec reporter's failure summary, one line: "  1) Failure: Acme::BadTest#test_a [t.rb:6]:",
        # "  2) Error: Acme::BadTest#test_boom:" (minitest-reporters PR #131).
        r"^\s*\d+\) (?:Failure|Error): (?P<test>[\w:]+#\w+)(?: \[[^\]]+:\d+\])?:\s*$",
        # Its older form inspects the result: 'FAIL["test_create", UsersTest, 0.05]' (a suite object
        # '#<Minitest::Reporters::Suite:0x… @name="UsersTest">' in 1.x) over " test_create#UsersTest".
        r"^\s*(?:FAIL|ERROR) ?\[\"(?P<test>test\w*)\", ",
        r"^\s+(?P<test>test\w+)\s+(?:FAIL|ERROR) \(\d+(?:\.\d+)?s\)\s*$",
        # XCTest (macOS): "Test Case '-[AppTests.CalcTests testAdd]' failed (0.003 seconds)."; Linux:
        # "Test Case 'CalcTests.testAdd' failed (0.003 seconds)".
        r"^\s*Test Case '-?\[?(?P<test>[^'\]]+)\]?' failed \(",
        # Its assertion names the test too, all a paste may keep: "/…/CalcTests.swift:12: error:
        # -[AppTests.CalcTests testAdd] : XCTAssertEqual failed: (\"4\") is not equal to (\"3\")".
        r"^\S.*?:\d+: error: -\[(?P<test>[\w.]+ \w+)\] : ",
        # Deno: "fails on its own ... FAILED (0ms)" as it runs (denoland/deno #28648); an indented
        # row is a test.step of the test above.
        r"^(?P<test>\S.*?) \.\.\. FAILED \(\d+(?:\.\d+)?m?s\)\s*$",
        # Swift Testing: "✘ Test addsNumbers() failed after 0.001 seconds with 1 issue.", a display name
        # quoted, an SF Symbol for ✘ on macOS; its "Test run with 2 tests failed after …" is no test.
        # Each issue first: "✘ Test addsNumbers() recorded an issue at CalcTests.swift:12:5: …".
        r'^\s*(?:\S+ )?Test (?!run with \d)"?(?P<test>.+?)"? (?:failed after [\d.]+ seconds?\b|recorded an issue at )',
        # xcpretty and xcbeautify (also under fastlane scan's "[10:00:40]: ▸ " prefix) print a failed
        # XCTest method with its reason: "    ✗ testInvalidPassword, XCTAssertEqual failed: …"
        # (xcpretty's formatters/simple.rb), "    ✖ testInvalidPassword, XCTAssertEqual failed: …"
        # (xcbeautify's TerminalRenderer).
        r"^\s*(?:\[[\d:]+\]: ▸\s+)?[✗✖] (?P<test>\w+), \S",
        # Dart/Flutter test: "00:02 +3 -1: test/calc_test.dart: Calc adds [E]".
        r"^\d+:\d+ \+\d+(?: ~\d+)? -\d+: (?:\S+\.dart: )?(?P<test>.+?) \[E\]\s*$",
        # testthat 3: "── Failure ('test-summary.R:12:3'): summary returns a tibble ────" (older 3.x
        # without the quotes), "── Error (…): …"; testthat 2: "── 1. Failure: adds (@test-calc.R#12) ──".
        r"^\s*── (?:\d+\. )?(?:Failure|Error)(?: \([^)]*\))?: (?P<test>.+?)(?: \(@[^)]*\))? ─+\s*$",
        # testthat 3's progress reporter, under a rule: "Failure (test-checks.R:12:3): chk_vector
        # errors on length"; its summary: "FAILURE (test-dir.R:11:3): mark_my_dir()", "ERROR (???):
        # additional tests"; 1.x/2.x outside a reporter: "Error: Test failed: 'adds numbers'".
        r"^\s*(?:Failure|FAILURE|Error|ERROR) \((?:[‘']?[\w./-]+\.[Rr]:\d+(?::\d+)?[’']?|\?\?\?)\): "
        r"(?P<test>\S.*?)\s*$",
        r"^\s*Error: Test failed: '(?P<test>.+)'\s*$",
        # meson test's row, as it ends and under "Summary of Failures:": " 3/12 unit-tests /
        # test_parser        FAIL            0.12s   exit status 1" (its stats "Fail: 1" follow).
        r"^\s*\d+/\d+ (?P<test>\S.*?)\s+(?:FAIL|ERROR|TIMEOUT)\s+[\d.]+s\s+(?:exit status|killed by)",
        # testthat 1.x/2.0's list under "OK: 2 SKIPPED: 0 FAILED: 1": "1. Error: etl nyctaxi
        # (@test-nyctaxi.R#9)", "1. Failure: adds (@test-calc.R#12)" (beanumber/nyctaxi #14).
        r"^\s*\d+\. (?:Failure|Error): (?P<test>.+?)(?: \(@[^)]*\))?\s*$",
        # clojure.test: "FAIL in (t-formatting) (formatting_test.clj:6)", "ERROR in (test-set-sel) …".
        r"^(?:FAIL|ERROR) in \((?P<test>[^()\s]+)\) \(",
        # EUnit: "gset: basic_props_test...*failed*" (a generator adds its title in parentheses).
        r"^\s*(?P<test>\w+: \w+)(?: \([^)]*\))?\.\.\.\*failed\*",
        # ExUnit: "  1) test adds numbers (Acme.CalcTest)".
        r"^\s*\d+\) (?P<test>(?:test|doctest|property) .+?) \([\w.]+\)\s*$",
        # Playwright: "  1) [chromium] › tests/login.spec.ts:15:5 › Login › shows error ───"; without
        # named projects no "[project] › " ("  1) tests/example.spec.ts:3:1 › example ───"); older
        # versions drew the rule with "=" ("example.spec.ts:3:1 › basic test =====", playwright.dev's
        # timeouts page); a Windows runner prints "tests\login.spec.ts".
        r"^\s*\d+\) (?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?)(?:\s*(?:─+|={3,}))?\s*$",
        # Playwright's list reporter: "  ✘  3 [chromium] › tests/login.spec.ts:15:5 › Login › x (5.2s)"
        # (older versions without the ordinal: "  ✘  [firefox] › cart.spec.ts:8:3 › Cart › x (30s)"; a
        # long test's time in minutes, "(1.2m)"; a retry's " (retry #1)" after the title).
        r"^\s*✘\s+(?:\d+ )?(?:\[[^\]]+\] › )?\S+:\d+:\d+ › (?P<test>.+?)(?: \(retry #\d+\))?(?: \([\d.]+(?:m?s|m|h)\))?\s*$",
        # WebdriverIO's spec reporter lists each failure under its worker's preface as "N) <suite>
        # <test>": "[chrome 124.0.6367.79 windows #0-0] 1) My Login application should log in"
        # (webdriverio packages/wdio-spec-reporter, getFailureDisplay).
        r"^\[[^\]]*#\d+-\d+\] \d+\) (?P<test>\S.*?)\s*$",
        # Vitest's default reporter, under " ❯ src/cart.test.ts (9 tests | 1 failed) 56ms": "   × caps
        # the raw match 6ms", "   × Cart > adds an item 5ms"; the verbose reporter puts the file first
        # (" × src/cart.test.ts > Cart > adds an item 5ms"), which the FAIL line's fact leaves out.
        # Lighthouse CI's "  ×  total-byte-weight failure for maxNumericValue assertion" (Windows'
        # cross; its assert.js) is an audit, not a test.
        r"^\s*× (?!\s|\S+ failure for \w+ assertion\s*$)(?:\S+\.[cm]?[jt]sx? > )?(?P<test>.+?)"
        r"(?: \d+(?:\.\d+)?m?s)?\s*$",
        # vstest.console's classic logger (VS 2017, dotnet test 2.x): "Failed   Test Suite 1 Test 2"
        # then "Total tests: 2. Passed: 1. Failed: 1. Skipped: 0." (Visual Studio's Node.js tools docs).
        r"^Failed {3}(?P<test>\S.*?)\s*$",
        # Pester 5: "[-] Get-Greeting.greets by name 52ms (35ms|17ms)"; Pester 4: "  [-] greets 88ms".
        r"^\s*\[-\] ?(?P<test>\S.*?) \d+(?:\.\d+)?m?s(?: \(\d+(?:\.\d+)?m?s\|\d+(?:\.\d+)?m?s\))?\s*$",
        # TestCafe's spec and list reporters: " ✖ invalid user sees an error" (" (unstable)" when it
        # passed on a quarantine rerun); ESLint's "✖ 3 problems (…)" and node:test's "✖ failing tests:"
        # header are no test, nor testthat's progress row "✖ | 1       3 | checks [0.2s]" (a file).
        r"^\s*✖ (?!\d+ problems?\b|\| )(?P<test>[^\s(][^()]*?[^\s():])(?: \(unstable\))?(?: \(screenshots: .*)?\s*$",
        # bun test: "(fail) Cart > adds an item [2.00ms]".
        r"^\s*\(fail\) (?P<test>.+?)(?: \[[\d.]+m?s\])?\s*$",
        # Karma (Angular's ng test, jasmine): "Chrome Headless 120.0.6099.71 (Linux x86_64) Cart adds
        # an item FAILED"; its tally says "Executed 12 of 12 (1 FAILED)".
        r"^\s*(?:Headless)?[A-Z]\w*(?: Headless)? [\d.]+ \([^)]*\) (?P<test>.+?) FAILED\s*$",
        # Jest's per-test row (--verbose, or a single test file): "    ✕ renders without crashing (45
        # ms)" under " FAIL  src/App.test.js", above the "● App › renders without crashing" blocks a
        # short paste may leave out (jest-reporters' VerboseReporter: "(N ms)" after the title).
        r"^\s*✕ (?P<test>\S.*?) \(\d+ ms\)\s*$",
        # node:test's spec reporter: "✖ subtracts numbers (1.02ms)", the leaf before its suite's own
        # "✖ math (3.1ms)"; the "✖ failing tests:" header has no duration.
        r"^\s*✖ (?P<test>.+?) \(\d+(?:\.\d+)?m?s\)\s*$",
        # Mocha and Cypress: "  1) Parser" then "       parses strings:" (the title path, indented).
        # A paste from the run page loses the two spaces of the group's indent ("1) Parser").
        # (Minitest's "  1) Failure:" / "  1) Error:" headers are not titles.)
        r"^\s*\d+\) (?!(?:Failure|Error):\s*$)(?P<cont>\S.*?)\s*$",
    )
)
_INDENTED_TITLE = re.compile(r"^(\s+)(\S.*?)(:?)\s*$")


def _mocha_title(first: str, indent: int, rest: Iterable[str]) -> str | None:
    """Mocha's title path: "1) Suite" then deeper-indented parts, the last one ending in ":"."""
    parts = [first]
    for line in rest:
        m = _INDENTED_TITLE.match(line)
        if not m or len(m.group(1)) <= indent:
            return None
        parts.append(m.group(2))
        if m.group(3):
            return " ".join(parts)
        if len(parts) > 6:
            return None
    return None


# Collision's list row for a failed test, "  ⨯ the application returns a successful response  0.15s"
# (Collision 7+; "  ✕ …" in 5/6), under its "   FAIL  Tests\\Feature\\ExampleTest" header.
_COLLISION_ROW = re.compile(r"^\s*[⨯✕] (?P<title>\S.*?)(?:\s+[\d.]+m?s)?\s*$")


def _uncut_title(test: str, before: Sequence[str]) -> str:
    """A Collision title cut to the terminal's width ("… > the application returns a successful…"),
    completed from its list row above; the cut title when no row starts with it."""
    cls, sep, cut = test[:-1].partition(" > ")
    if not sep or not cut:
        return test
    for line in reversed(before):
        m = _COLLISION_ROW.match(line)
        if m and m.group("title").startswith(cut):
            return f"{cls} > {m.group('title')}"
    return test


def named_failure(lines: Sequence[str]) -> str | None:
    """The first test a runner above names as failed in `lines` (oldest first), not one retried."""
    flaky = retried_passes(lines)
    for i, text in enumerate(lines):
        listed = listed_failure(lines, i)
        if listed:
            return listed
        for pattern in _NAMED_FAILURES:
            m = pattern.match(text)
            if not m:
                continue
            test = m.groupdict().get("test")
            if test in flaky:
                continue
            if test and test.endswith("…"):
                return _uncut_title(test, lines[max(0, i - 40) : i])
            if test:
                return test
            cont = m.group("cont")
            if cont.endswith(":") and not cont.endswith("::"):
                return cont[:-1]
            found = _mocha_title(cont, len(text) - len(text.lstrip()), lines[i + 1 : i + 8])
            if found:
                return found
    return None
