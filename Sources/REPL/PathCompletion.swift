import Foundation

/// File-system completions for a partly typed path, as a shell offers them.
///
/// Each candidate is the full replacement for the partial path: it keeps the directory
/// part exactly as typed (relative, absolute or `~/`), and a directory ends with `/` so
/// that completion can continue inside it.
///
/// ```swift
/// // With sessions/day1.jac, sessions/day2.jac and sessions/old/ in the working directory:
/// PathCompletion.candidates(for: "sessions/da")
/// // ["sessions/day1.jac", "sessions/day2.jac"]
/// PathCompletion.candidates(for: "sessions/o")
/// // ["sessions/old/"]
/// ```
public enum PathCompletion {
    /// The entries that complete `partial`, sorted.
    ///
    /// - Parameters:
    ///   - partial: The path typed so far. Its text up to the last `/` names the directory
    ///     to list (the working directory, or `baseDirectory`, when there is none); the rest
    ///     is the prefix that entry names must start with. `~` and `~/...` refer to
    ///     `homeDirectory`; a lone `~` completes to `~/`.
    ///   - baseDirectory: The directory that relative paths start from; `nil` for the
    ///     process's working directory.
    ///   - homeDirectory: What `~` stands for; `nil` for the user's home (`$HOME`).
    ///   - fileExtensions: When given, files are offered only with one of these extensions
    ///     (without the dot, compared ignoring case); directories are always offered.
    /// - Returns: Replacements for `partial`. Hidden entries (starting with `.`) appear only
    ///   when the typed name starts with `.`. An unreadable or missing directory gives `[]`.
    ///
    /// ```swift
    /// PathCompletion.candidates(for: "~/.jac")                    // ["~/.jacobi_history"]
    /// PathCompletion.candidates(for: "runs/", fileExtensions: ["jac"])
    /// // ["runs/a.jac", "runs/archive/"]
    /// ```
    public static func candidates(
        for partial: String,
        baseDirectory: String? = nil,
        homeDirectory: String? = nil,
        fileExtensions: Set<String>? = nil
    ) -> [String] {
        if partial == "~" {
            return ["~/"]
        }
        let typedDirectory: String
        let namePrefix: String
        if let slash = partial.lastIndex(of: "/") {
            typedDirectory = String(partial[...slash])
            namePrefix = String(partial[partial.index(after: slash)...])
        } else {
            typedDirectory = ""
            namePrefix = partial
        }
        let directory = resolve(typedDirectory, baseDirectory: baseDirectory,
                                homeDirectory: homeDirectory)

        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else {
            return []
        }
        let wantedExtensions = fileExtensions.map { Set($0.map { $0.lowercased() }) }
        var result: [String] = []
        for name in names where name.hasPrefix(namePrefix) {
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") {
                continue
            }
            let fullPath = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            // fileExists follows symbolic links: a link to a directory completes as one.
            let exists = fileManager.fileExists(atPath: fullPath, isDirectory: &isDirectory)
            if exists, isDirectory.boolValue {
                result.append(typedDirectory + name + "/")
                continue
            }
            if let wantedExtensions {
                let fileExtension = (name as NSString).pathExtension.lowercased()
                guard wantedExtensions.contains(fileExtension) else { continue }
            }
            result.append(typedDirectory + name)
        }
        return result.sorted()
    }

    /// The directory to list for the typed directory part (which ends with `/` or is empty).
    private static func resolve(_ typedDirectory: String, baseDirectory: String?,
                                homeDirectory: String?) -> String {
        if typedDirectory.hasPrefix("~/") {
            let home = homeDirectory ?? NSHomeDirectory()
            return home + String(typedDirectory.dropFirst())
        }
        if typedDirectory.hasPrefix("/") {
            return typedDirectory
        }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        if typedDirectory.isEmpty {
            return base
        }
        return base.hasSuffix("/") ? base + typedDirectory : base + "/" + typedDirectory
    }
}
