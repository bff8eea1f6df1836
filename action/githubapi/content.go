package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	pathpkg "path"
	"strings"

	"github.com/bench-action/bench-action/action"
	"github.com/google/go-github/v62/github"
)

var _ action.FileReader = (*Client)(nil)

// FileAt returns a file of the repository as it is at ref (a commit SHA or
// a branch), through the contents API. A file that does not exist there
// gives an error wrapping [action.ErrNoFile].
func (c *Client) FileAt(ctx context.Context, path, ref string) ([]byte, error) {
	clean := pathpkg.Clean(path)
	if pathpkg.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, fmt.Errorf("read %s at %s: the path is outside the repository", path, ref)
	}
	path = clean
	var data []byte
	err := c.read(ctx, c.newBudget(), fmt.Sprintf("read %s at %s", path, ref), func(g *github.Client) (*github.Response, error) {
		file, _, resp, err := g.Repositories.GetContents(ctx, c.cfg.Owner, c.cfg.Repo, path, &github.RepositoryContentGetOptions{Ref: ref})
		if err != nil {
			return resp, err
		}
		if file == nil {
			return resp, permanentError{fmt.Errorf("read %s at %s: a directory, not a file", path, ref)}
		}
		s, err := file.GetContent()
		if err != nil {
			return resp, permanentError{fmt.Errorf("read %s at %s: %w", path, ref, err)}
		}
		data = []byte(s)
		return resp, nil
	})
	if statusOf(err) == http.StatusNotFound {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, action.ErrNoFile)
	}
	if err != nil && errors.Is(err, action.ErrNoFile) {
		return nil, err
	}
	return data, err
}
