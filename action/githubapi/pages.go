package githubapi

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
)

// listPages reads every page of a list endpoint, 100 items a page, through
// [Client.read] (retries, the request budget). what names the list in
// errors ("pull request #7: list files"); fetch asks for one page with the
// list options given.
func listPages[T any](ctx context.Context, c *Client, b *budget, what string, fetch func(g *github.Client, opts github.ListOptions) ([]T, *github.Response, error)) ([]T, error) {
	var all []T
	opts := github.ListOptions{PerPage: 100}
	for {
		var page []T
		var resp *github.Response
		err := c.read(ctx, b, fmt.Sprintf("%s page %d", what, max(opts.Page, 1)), func(g *github.Client) (*github.Response, error) {
			var err error
			page, resp, err = fetch(g, opts)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if resp == nil || resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
}
