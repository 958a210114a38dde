import Foundation
import REPL
import XCTest

/// PathCompletion against a small directory tree made for each test.
final class PathCompletionTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "jacobi-path-\(UUID().uuidString)"
        let fileManager = FileManager.default
        for directory in ["sessions/old", "sessions/.cache", "data", "home/runs"] {
            try fileManager.createDirectory(atPath: root + "/" + directory,
                                            withIntermediateDirectories: true)
        }
        for file in ["sessions/day1.jac", "sessions/day2.jac", "sessions/notes.txt",
                     "sessions/.hidden.jac", "data/batch.npy", "data/Batch.CSV", "README.md",
                     "home/.jacobi_history", "home/runs/a.jac"] {
            XCTAssertTrue(fileManager.createFile(atPath: root + "/" + file, contents: Data()))
        }
        try fileManager.createSymbolicLink(atPath: root + "/linked", withDestinationPath: root + "/data")
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: root)
    }

    private func complete(_ partial: String, extensions: Set<String>? = nil) -> [String] {
        PathCompletion.candidates(for: partial, baseDirectory: root, homeDirectory: root + "/home",
                                  fileExtensions: extensions)
    }

    func testCompletesNamesInASubdirectory() {
        XCTAssertEqual(complete("sessions/da"), ["sessions/day1.jac", "sessions/day2.jac"])
    }

    func testDirectoriesEndWithASlash() {
        XCTAssertEqual(complete("sessions/o"), ["sessions/old/"])
        XCTAssertEqual(complete("se"), ["sessions/"])
    }

    func testEmptyPrefixListsVisibleEntriesSorted() {
        XCTAssertEqual(complete(""), ["README.md", "data/", "home/", "linked/", "sessions/"])
        XCTAssertEqual(complete("sessions/"),
                       ["sessions/day1.jac", "sessions/day2.jac", "sessions/notes.txt",
                        "sessions/old/"])
    }

    func testHiddenEntriesOnlyWhenTheNameStartsWithADot() {
        XCTAssertEqual(complete("sessions/."), ["sessions/.cache/", "sessions/.hidden.jac"])
    }

    func testSymbolicLinkToADirectoryCompletesAsADirectory() {
        XCTAssertEqual(complete("lin"), ["linked/"])
        XCTAssertEqual(complete("linked/b"), ["linked/batch.npy"])
    }

    func testAbsolutePathsKeepTheirPrefix() {
        XCTAssertEqual(complete(root + "/data/b"), [root + "/data/batch.npy"])
    }

    func testTildeStandsForTheHomeDirectory() {
        XCTAssertEqual(complete("~"), ["~/"])
        XCTAssertEqual(complete("~/"), ["~/runs/"])
        XCTAssertEqual(complete("~/.jac"), ["~/.jacobi_history"])
        XCTAssertEqual(complete("~/runs/"), ["~/runs/a.jac"])
    }

    func testExtensionFilterKeepsDirectoriesAndIgnoresCase() {
        XCTAssertEqual(complete("sessions/", extensions: ["jac"]),
                       ["sessions/day1.jac", "sessions/day2.jac", "sessions/old/"])
        XCTAssertEqual(complete("data/", extensions: ["csv"]), ["data/Batch.CSV"])
    }

    func testPrefixMatchingIsCaseSensitive() {
        XCTAssertEqual(complete("data/B"), ["data/Batch.CSV"])
    }

    func testMissingDirectoryOrNoMatchGivesNothing() {
        XCTAssertEqual(complete("nowhere/x"), [])
        XCTAssertEqual(complete("sessions/zzz"), [])
        XCTAssertEqual(complete("README.md/"), [])
    }

    func testRelativePathsUseTheWorkingDirectoryByDefault() throws {
        let fileManager = FileManager.default
        let previous = fileManager.currentDirectoryPath
        XCTAssertTrue(fileManager.changeCurrentDirectoryPath(root + "/sessions"))
        defer { _ = fileManager.changeCurrentDirectoryPath(previous) }
        XCTAssertEqual(PathCompletion.candidates(for: "day"), ["day1.jac", "day2.jac"])
    }
}
