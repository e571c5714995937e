package syncserver

import (
	"context"
	"time"

	"boucle/shared/domain"
	"boucle/syncserver/credential"
)

// GroupAdmin manages the group's accounts (boucle-server group-user): the
// group's quality staff, who read every plant's reports and write nothing.
// Passwords are checked and hashed as a plant's (prepareSecret).
type GroupAdmin struct {
	group GroupStore
	now   func() time.Time
}

// NewGroupAdmin returns the commands on a group's accounts; now nil: the
// wall clock.
func NewGroupAdmin(group GroupStore, now func() time.Time) *GroupAdmin {
	if now == nil {
		now = time.Now
	}
	return &GroupAdmin{group: group, now: now}
}

// NewGroupUser is a group account to create; an empty password is
// generated and returned once.
type NewGroupUser struct {
	Login       string
	DisplayName string
	Password    string
}

// AddUser creates a group account with the role group_quality; a login
// taken is a conflict.
func (a *GroupAdmin) AddUser(ctx context.Context, u NewGroupUser) (Credentials, error) {
	if u.DisplayName == "" {
		return Credentials{}, domain.FieldError("display_name", "is required")
	}
	creds, hash, err := prepareSecret(u.Login, u.Password)
	if err != nil {
		return Credentials{}, err
	}
	err = a.group.UpdateGroup(ctx, func(t GroupTx) error {
		old, err := t.GroupAccount(u.Login)
		if err != nil {
			return err
		}
		if old != nil {
			return &domain.Error{Code: domain.EConflict, Field: "login", Message: "the group has an account " + u.Login + " already"}
		}
		now := a.now().UTC()
		return t.PutGroupAccount(&credential.GroupAccount{Login: u.Login, DisplayName: u.DisplayName, Role: credential.GroupQuality,
			Hash: hash, Created: now, Changed: now})
	})
	return creds, err
}

// Users lists the group's accounts, by login.
func (a *GroupAdmin) Users(ctx context.Context) ([]GroupUser, error) {
	var out []GroupUser
	err := a.group.ViewGroup(ctx, func(t GroupTx) error {
		accounts, err := t.GroupAccounts()
		for i := range accounts {
			out = append(out, groupUserOf(&accounts[i]))
		}
		return err
	})
	return out, err
}

// DisableUser disables a group account and revokes its sign-ins: its
// access tokens stop at their next request.
func (a *GroupAdmin) DisableUser(ctx context.Context, login string) error {
	return a.change(ctx, login, "account disabled", func(acc *credential.GroupAccount) { acc.Disabled = true })
}

// EnableUser enables a disabled group account.
func (a *GroupAdmin) EnableUser(ctx context.Context, login string) error {
	return a.change(ctx, login, "", func(acc *credential.GroupAccount) { acc.Disabled = false })
}

// ResetPassword sets a group account's password (a random one when empty)
// and revokes its sign-ins.
func (a *GroupAdmin) ResetPassword(ctx context.Context, login, password string) (Credentials, error) {
	creds, hash, err := prepareSecret(login, password)
	if err != nil {
		return Credentials{}, err
	}
	return creds, a.change(ctx, login, "password reset", func(acc *credential.GroupAccount) {
		acc.Hash, acc.Changed = hash, a.now().UTC()
	})
}

// change applies edit to login's account in one transaction, revoking its
// sign-ins when revoke says why.
func (a *GroupAdmin) change(ctx context.Context, login, revoke string, edit func(*credential.GroupAccount)) error {
	return a.group.UpdateGroup(ctx, func(t GroupTx) error {
		acc, err := t.GroupAccount(login)
		if err != nil {
			return err
		}
		if acc == nil {
			return &domain.Error{Code: domain.ENotFound, Field: "login", Message: "the group has no account " + login}
		}
		edit(acc)
		if err := t.PutGroupAccount(acc); err != nil {
			return err
		}
		if revoke == "" {
			return nil
		}
		return revokeUserTokens(t, login, a.now(), revoke)
	})
}
