// editline-demo: a tiny loop over LineEditor, driven by Tests/REPLTests/pty_editline_test.py
// through a pseudo-terminal. It is a test fixture and a playground, not part of Jacobi.
//
//   line          prints "got: <line>" and adds it to history
//   :history      prints the history, oldest first, numbered from 1
//   :spin         loops until Ctrl-C (at most 20 s), polling Interrupt.pending
//   Ctrl-C        prints "^C" and prompts again
//   Ctrl-D / EOF  saves history and exits with status 0
//
// TAB completes jacrev, jacfwd, jacobian, vmap; :commands; and paths in string literals.
import Foundation
import REPL

let words = ["jacrev", "jacfwd", "jacobian", "vmap"]
let commands = [":history", ":spin"]

let editor = LineEditor(programName: "editline-demo")
editor.completer = { before, _ in
    let context = CompletionContext(lineBeforeCursor: before)
    switch context.kind {
    case .identifier:
        return words.filter { $0.hasPrefix(context.word) }
    case .command:
        return commands.filter { $0.hasPrefix(context.word) }
    case .stringLiteral, .path:
        return PathCompletion.candidates(for: context.word)
    case .comment:
        return []
    }
}

/// Writes a line to standard output at once, so that the pseudo-terminal sees it.
func say(_ text: String) {
    print(text)
    fflush(nil)  // all C streams; Swift 6 rejects the mutable global `stdout`
}

loop: while true {
    switch editor.readLine(prompt: "demo> ") {
    case .line(let text):
        switch text {
        case ":history":
            for (number, entry) in editor.history.enumerated() {
                say("\(number + 1) \(entry)")
            }
        case ":spin":
            say("spinning")
            let deadline = Date().addingTimeInterval(20)
            while !Interrupt.pending && Date() < deadline {
                usleep(10_000)
            }
            say(Interrupt.pending ? "spin interrupted" : "spin timed out")
            Interrupt.clear()
        default:
            say("got: \(text)")
        }
        editor.addHistory(text)
    case .interrupted:
        say("^C")
    case .endOfFile:
        break loop
    }
}
if editor.isEditing {
    say("")
}
editor.saveHistory()
exit(0)
